// A reflector for one kind and selector: LIST, then WATCH from the list's resourceVersion, keeping
// a cache by name. On 410 Gone it lists again; when the server closes the stream (its timeout) it
// watches again from the last resourceVersion, so no update is lost; when the connection fails or
// goes silent it retries with backoff and says so (client-node 1.4.0 has no client-side timeout,
// kubernetes-client/javascript#596 and #958, so a silent stream is ended here).
import type { KubeApi, ResourceKind, WatchEvent } from './kube-api.ts';
import { kubeError } from './kube-errors.ts';

interface Named {
  metadata?: { name?: string; resourceVersion?: string };
}

export interface WatchTiming {
  /** The server closes each watch after this long (`timeoutSeconds`), and we watch again. */
  serverTimeoutSeconds: number;
  /** No event nor close for this long after the server's timeout: the stream is dead. */
  silenceGraceMs: number;
  /** Retry delays: first, doubling up to max. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const defaultTiming: WatchTiming = {
  serverTimeoutSeconds: 240,
  silenceGraceMs: 15_000,
  backoffMs: 250,
  maxBackoffMs: 5_000,
};

export interface ReflectorEvents {
  /** The cache changed (a list, or an event). */
  change: () => void;
  /** The connection was lost (`error` says why) or came back (null). */
  health: (error: Error | null) => void;
}

export class ResourceWatch<T extends Named> {
  readonly items = new Map<string, T>();
  /** True once the first list arrived. */
  synced = false;
  private resourceVersion = '';
  private stopped = false;
  private controller: AbortController | null = null;
  private silence: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  private generation = 0;

  constructor(
    private readonly api: KubeApi,
    private readonly kind: ResourceKind,
    private readonly selector: { label?: string; field?: string },
    private readonly events: ReflectorEvents,
    private readonly timing: WatchTiming = defaultTiming,
  ) {}

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.controller?.abort();
    if (this.silence) clearTimeout(this.silence);
    if (this.retry) clearTimeout(this.retry);
  }

  private async relist(): Promise<void> {
    const generation = ++this.generation;
    this.controller?.abort();
    try {
      const list = await this.api.list(this.kind, this.selector);
      if (this.stopped || generation !== this.generation) return;
      this.items.clear();
      for (const item of list.items as T[]) this.items.set(item.metadata?.name ?? '', item);
      this.resourceVersion = list.resourceVersion;
      this.synced = true;
      this.recovered();
      this.events.change();
      this.watchFrom(generation);
    } catch (error) {
      if (!this.stopped && generation === this.generation) this.failed(error, () => void this.relist());
    }
  }

  private watchFrom(generation: number): void {
    const query: Record<string, string | number | boolean> = {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.timing.serverTimeoutSeconds,
      ...(this.selector.label ? { labelSelector: this.selector.label } : {}),
      ...(this.selector.field ? { fieldSelector: this.selector.field } : {}),
    };
    let ended = false;
    const end = (error: unknown) => {
      if (ended || this.stopped || generation !== this.generation) return;
      ended = true;
      if (this.silence) clearTimeout(this.silence);
      const status = (error as { statusCode?: number } | null)?.statusCode;
      if (status === 410 || (error as { gone?: boolean } | null)?.gone) {
        void this.relist(); // the resourceVersion is too old: start over from a list
      } else if (error === null || error === undefined) {
        this.watchFrom(generation); // the server's timeout: carry on from where we were
      } else {
        this.failed(error, () => this.watchFrom(generation));
      }
    };
    const armSilence = () => {
      if (this.silence) clearTimeout(this.silence);
      const after = this.timing.serverTimeoutSeconds * 1000 + this.timing.silenceGraceMs;
      this.silence = setTimeout(() => {
        end(new Error(`no word from the API server for ${Math.round(after / 1000)}s`));
        this.controller?.abort();
      }, after);
    };
    armSilence();
    this.api
      .watch(
        this.kind,
        query,
        (event) => {
          if (generation !== this.generation) return;
          if (ended) {
            // The client may end the stream before it hands over its last line: a 410 there
            // still means "list again" (the watch already started again may be stale).
            if (event.type === 'ERROR' && (event.object as { code?: number }).code === 410)
              void this.relist();
            return;
          }
          armSilence();
          this.apply(event, end);
        },
        end,
      )
      .then((controller) => {
        if (ended || this.stopped || generation !== this.generation) controller.abort();
        else {
          this.controller = controller;
          this.recovered();
        }
      }, end);
  }

  private apply(event: WatchEvent, end: (error: unknown) => void): void {
    const object = event.object as T & { code?: number; message?: string };
    if (event.type === 'ERROR') {
      // An in-stream Status: 410 Expired means list again; anything else, reconnect.
      // Ended first, so the abort's own "aborted" error that follows is ignored.
      const gone = object.code === 410;
      end(gone ? { gone: true } : new Error(object.message ?? 'watch error'));
      this.controller?.abort();
      return;
    }
    const rv = object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const name = object.metadata?.name ?? '';
    if (event.type === 'DELETED') this.items.delete(name);
    else this.items.set(name, object);
    this.events.change();
  }

  private failed(error: unknown, again: () => void): void {
    this.failures++;
    this.events.health(kubeError(error, `watch ${this.kind}`));
    const delay = Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** (this.failures - 1));
    this.retry = setTimeout(again, delay);
  }

  private recovered(): void {
    if (this.failures === 0) return;
    this.failures = 0;
    this.events.health(null);
  }
}
