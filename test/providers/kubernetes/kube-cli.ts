// Runs the real `bin/cutover.js` against a fake API server, the way an operator would with a
// kubeconfig: `--platform kubernetes` and KUBECONFIG pointing at the fake's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeKube } from '../../fakes/kubernetes/index.ts';
import { type CliResult, cutover } from '../../local/platform/cli.ts';

export const NS = 'shop-ns';

export function kubeCli(fake: FakeKube) {
  const home = mkdtempSync(join(tmpdir(), 'cutover-kube-'));
  return (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    cutover(home, [...args, '--platform', 'kubernetes'], { env: { KUBECONFIG: fake.kubeconfig, ...env } });
}

/** The status --json a script reads. */
export interface StatusJson {
  version: number | null;
  status: string;
  paused: boolean;
  rollout: {
    from: number | null;
    to: number;
    kind: string;
    phase: string;
    ready: number;
    target: number;
    message: string;
  } | null;
  containers: {
    id: string;
    version: number;
    state: string;
    reason: string | null;
    restarts: number | null;
  }[];
  inputs: { queued: number | null };
  inputsNote: string | null;
  failed: { version: number; reason: string } | null;
}
