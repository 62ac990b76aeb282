// A watch's metrics as appended samples, the daemon's encoder and the client's decoder back to
// back over JSON as on the socket: a full window moving on (samples added at the end, dropped
// from the front), a window the watcher cannot build on (sent whole again), and an update that
// does not fit (refused, so the client starts over).
import { describe, expect, it } from 'vitest';
import {
  metricsDecoder,
  metricsEncoder,
  type WatchedSnapshot,
} from '../../../src/local/daemon/metric-window.ts';
import { metrics, snapshot } from '../../ui/fixtures.ts';

const overWire = (wire: WatchedSnapshot): WatchedSnapshot => JSON.parse(JSON.stringify(wire));

describe('appended metrics', () => {
  it('a three-minute window moving on by a sample a second: the watcher rebuilds every snapshot from the new samples', () => {
    const encode = metricsEncoder();
    const decode = metricsDecoder();
    const all = metrics(200);
    const window = (end: number) => all.slice(Math.max(0, end - 180), end);
    const sizes: number[] = [];
    for (let end = 170; end <= 200; end++) {
      const sent = snapshot({ metrics: window(end), at: all[end - 1]!.at });
      const wire = encode(sent);
      sizes.push(JSON.stringify(wire).length);
      expect(decode(overWire(wire))).toEqual(sent);
    }
    // The first carries the window; each after it one sample.
    expect(Math.max(...sizes.slice(1))).toBeLessThan(sizes[0]! / 10);
  });

  it('two samples at once (a watcher that was slow to read), and none (an app that changed between samples)', () => {
    const encode = metricsEncoder();
    const decode = metricsDecoder();
    const all = metrics(10);
    for (const end of [5, 7, 7, 10]) {
      const sent = snapshot({ metrics: all.slice(0, end) });
      expect(decode(overWire(encode(sent)))).toEqual(sent);
    }
  });

  it('a window without the last sample sent (another app of the name, a restored daemon) is sent whole', () => {
    const encode = metricsEncoder();
    const decode = metricsDecoder();
    encode(snapshot({ metrics: metrics(5) }));
    const other = snapshot({ appId: 'shop#2', metrics: metrics(3, () => ({ appId: 'shop#2' })) });
    const wire = encode(other);
    expect(wire).toHaveProperty('metrics');
    expect(decode(overWire(wire))).toEqual(other);
  });

  it('an update that does not follow the window the client has is refused', () => {
    const encode = metricsEncoder();
    const all = metrics(6);
    encode(snapshot({ metrics: all.slice(0, 4) }));
    const update = overWire(encode(snapshot({ metrics: all.slice(0, 6) })));
    // A client that has a different window (it missed a snapshot).
    const decode = metricsDecoder();
    decode(snapshot({ metrics: all.slice(0, 3) }));
    expect(() => decode(update)).toThrow(/does not follow/);
    // And one that has nothing yet.
    expect(() => metricsDecoder()(update)).toThrow(/does not follow/);
  });
});
