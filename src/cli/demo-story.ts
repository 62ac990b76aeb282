// The demo's story: after its first rollout it deploys a new version every ~40 s, some of them bad
// on purpose (one that crash-loops, one with a slow cold start, one whose error rate climbs), so
// there is always a rollout to watch and a reason to roll back. Each edition edits the demo's
// copy of the example (its message and the DEMO_FAULT its server reads) and deploys it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Provider } from '../engine/provider.ts';

/** One version of the story. */
interface Edition {
  fault: '' | 'crash' | 'slow' | 'errors';
  message: string;
}

export const editions: Edition[] = [
  { fault: 'crash', message: 'third edition: prices from a file that is not there (it crash-loops)' },
  { fault: 'slow', message: 'fourth edition: a 15 s cold start' },
  { fault: 'errors', message: 'fifth edition: the payment backend times out more and more' },
  { fault: '', message: 'sixth edition: all good again' },
];

const faultLine = /^DEMO_FAULT = "[^"]*"/m;

/** Writes edition `n` (counting from 0, cycling) into the app's directory. */
export function writeEdition(appDir: string, n: number): Edition {
  const edition = editions[n % editions.length]!;
  const manifest = join(appDir, 'cutover.toml');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace(faultLine, `DEMO_FAULT = "${edition.fault}"`),
  );
  writeFileSync(
    join(appDir, 'message.txt'),
    `hello from shop, ${edition.message} (${new Date().toISOString()})\n`,
  );
  return edition;
}

/** Deploys the next edition every `everyMs` until stopped; errors are the screen's to show. */
export function tellStory(
  provider: Provider,
  appDir: string,
  user: string,
  everyMs: number,
): { stop(): void } {
  let n = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const next = () => {
    if (stopped) return;
    writeEdition(appDir, n++);
    provider.deploy({ path: appDir }, { user }).catch(() => undefined);
    timer = setTimeout(next, everyMs);
  };
  if (everyMs > 0) timer = setTimeout(next, everyMs);
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
