// The daemon's proxies (T1): a stopped app's ports answer "app stopped" for a grace period, then
// are let go by whoever holds them (the supervisor, A1), so any program may bind them; a deploy
// that wants one sooner gets it at once, and then nothing is let go.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Listeners, Proxies } from '../../../src/local/daemon/proxies.ts';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import { fnSpec } from '../../engine/driver.ts';

const events = { arrived() {}, finished() {}, failed() {}, cancelled() {} };

/** Binds nothing itself (the proxy binds its own socket) and records what it is asked to let go. */
function recordingListeners(): Listeners & { released: number[] } {
  const released: number[] = [];
  return { released, open: async () => null, held: () => [], release: (port) => released.push(port) };
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let proxies: Proxies | null = null;
afterEach(async () => {
  await proxies?.closeAll();
  proxies = null;
});

describe('proxies of a stopped app (T1)', () => {
  it('answer "app stopped" during the grace, then close and ask the holder to let the port go', async () => {
    const listeners = recordingListeners();
    proxies = new Proxies(events, listeners, null, 300);
    const port = await freePort();
    await proxies.ensure('alpha', [fnSpec({ port })]);
    proxies.release('alpha');
    expect(await bindable(port)).toBe(false); // still answering during the grace
    await sleep(600);
    expect(listeners.released).toEqual([port]);
    expect(await bindable(port)).toBe(true);
  });

  it('a deploy that wants the port during the grace takes it, and the port is not let go', async () => {
    const listeners = recordingListeners();
    proxies = new Proxies(events, listeners, null, 300);
    const port = await freePort();
    await proxies.ensure('alpha', [fnSpec({ port })]);
    proxies.release('alpha');
    await proxies.ensure('beta', [fnSpec({ port })]);
    await sleep(600);
    expect(listeners.released).toEqual([]);
    expect(proxies.url('beta', fnSpec({ port }))).toBe(`http://127.0.0.1:${port}`);
    expect(await bindable(port)).toBe(false);
  });
});
