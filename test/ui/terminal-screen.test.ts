// The full screen's clock: ages advance each second with no data arriving, and a feed that sends
// about once a second draws the frames itself, without the clock drawing one more in between.
import { afterEach, expect, test } from 'vitest';
import { type FrameContext, runScreen, type ScreenControl } from '../../src/ui/terminal-screen.ts';
import { FakeStdin, FakeStdout } from './fake-terminal.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let quit: (() => Promise<void>) | null = null;
afterEach(async () => {
  await quit?.();
  quit = null;
});

/** A screen showing one line that says when it was drawn; `frames` lists each frame's time. */
function start() {
  const stdout = new FakeStdout();
  const frames: number[] = [];
  let control: ScreenControl | null = null;
  const exit = runScreen(
    {
      stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      env: {},
    },
    (c) => {
      control = c;
      return {
        lines: (frame: FrameContext) => {
          frames.push(frame.now);
          return [`drawn at ${frame.now}`];
        },
        key: () => undefined,
        stop: () => undefined,
      };
    },
  );
  quit = async () => {
    control?.finish(0);
    await exit;
  };
  return { frames, data: () => control!.redraw() };
}

test('with no data arriving, the clock draws a frame each second', async () => {
  const { frames } = start();
  await sleep(3_400);
  // The first frame, then one a second.
  expect(frames.length).toBeGreaterThanOrEqual(3);
  expect(frames.length).toBeLessThanOrEqual(4);
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
  for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThanOrEqual(990);
});

test('data arriving a little more than a second apart draws the frames, the clock none in between', async () => {
  const { frames, data } = start();
  const arrivals: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(1_080);
    arrivals.push(Date.now());
    data();
  }
  // A frame the clock drew (not at an arrival) comes only where the data paused longer than a
  // second and a bit (a late timer on a busy machine): never a second after an arrival, just
  // before the next one.
  const byClock = frames.filter((t, i) => i > 0 && !arrivals.some((a) => Math.abs(a - t) <= 1));
  for (const t of byClock) {
    const previous = frames[frames.indexOf(t) - 1]!;
    expect(t - previous).toBeGreaterThanOrEqual(1_200);
  }
  expect(frames.length).toBeGreaterThanOrEqual(6);
});
