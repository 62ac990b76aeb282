// The worker's side of the supervisor's IPC channel (A1): it receives the control socket and the
// proxy ports the supervisor holds, asks for new ones, and hears when to stop or that the
// supervisor is gone.
import type { Listeners } from './proxies.ts';
import type { HeldSecrets } from './secret-vault.ts';
import type { ToSupervisor, ToWorker } from './supervision.ts';

type Held = ReturnType<Listeners['held']>[number];

export class SupervisorLink implements Listeners {
  private readonly waiting = new Map<number, { resolve: (h: object) => void; reject: (e: Error) => void }>();
  private readonly heldSockets: Held[] = [];
  private readonly secrets: HeldSecrets = {};
  private nextId = 1;
  private onStop: (apps: boolean) => void = () => undefined;

  private constructor(readonly control: object) {}

  /** Waits for the supervisor's handles; rejects when this process has no supervisor. */
  static connect(): Promise<SupervisorLink> {
    return new Promise((resolve, reject) => {
      if (!process.send) {
        reject(new Error('the worker runs under `cutover daemon run`, which supervises it'));
        return;
      }
      let control: object | null = null;
      const held: Held[] = [];
      const secrets: HeldSecrets = {};
      const early = (message: ToWorker, handle: unknown) => {
        if (message.type === 'control') control = handle as object;
        else if (message.type === 'held') held.push({ ...message, handle: handle as object });
        else if (message.type === 'secrets') secrets[message.app] = message.values;
        else if (message.type === 'start') {
          process.off('message', early);
          if (!control) return reject(new Error('the supervisor sent no control socket'));
          const link = new SupervisorLink(control);
          link.heldSockets.push(...held);
          Object.assign(link.secrets, secrets);
          process.on('message', (m: ToWorker, h: unknown) => link.received(m, h));
          resolve(link);
        }
      };
      process.on('message', early);
    });
  }

  held(): Held[] {
    return this.heldSockets;
  }

  open(port: number, appName: string, fn: string): Promise<object> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ type: 'listen', id, port, appName, fn });
    });
  }

  release(port: number): void {
    this.send({ type: 'release', port });
  }

  heldSecrets(): HeldSecrets {
    return this.secrets;
  }

  keepSecrets(app: string, values: Record<string, string>): void {
    this.send({ type: 'secrets', app, values });
  }

  serving(): void {
    this.send({ type: 'serving', pid: process.pid });
  }

  stopping(): void {
    this.send({ type: 'stopping' });
  }

  /** Called when the supervisor asks this worker to stop. */
  whenStopped(stop: (apps: boolean) => void): void {
    this.onStop = stop;
  }

  private send(message: ToSupervisor): void {
    if (process.connected) process.send?.(message);
  }

  private received(message: ToWorker, handle: unknown): void {
    if (message.type === 'listening' || message.type === 'listen-failed') {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.type === 'listening') waiter?.resolve(handle as object);
      else waiter?.reject(Object.assign(new Error(message.message), { code: message.code }));
    } else if (message.type === 'stop') {
      this.onStop(message.apps);
    }
  }
}
