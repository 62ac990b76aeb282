// Runs the real kubectl against a fake: `--kubeconfig` the fake's, a discovery cache of the
// fake's own (so no test reads another's or the user's ~/.kube/cache), argument arrays only.
// KUBECTL names another binary (Debian's kubernetes-client installs /usr/bin/kubectl).
import { dirname, join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { FakeKube } from './index.ts';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const binary = (): string => process.env.KUBECTL ?? 'kubectl';

/** The fake's kubeconfig, and a discovery cache beside it (removed with it by close()). */
function baseArgs(fake: FakeKube): string[] {
  return ['--kubeconfig', fake.kubeconfig, '--cache-dir', join(dirname(fake.kubeconfig), 'kubectl-cache')];
}

/** Runs kubectl to completion (10 s at most). */
export async function kubectl(fake: FakeKube, args: string[], timeoutMs = 10_000): Promise<KubectlResult> {
  const result = await execa(binary(), [...baseArgs(fake), ...args], {
    reject: false,
    timeout: timeoutMs,
    env: { KUBECONFIG: '' },
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/** A kubectl that keeps running (rollout status, get -w): its output so far, and its end. */
export interface RunningKubectl {
  output(): string;
  /** Resolves when the output (stdout and stderr) matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<KubectlResult>;
  stop(): void;
}

export function startKubectl(fake: FakeKube, args: string[], timeoutMs = 15_000): RunningKubectl {
  const child: ResultPromise = execa(binary(), [...baseArgs(fake), ...args], {
    reject: false,
    timeout: timeoutMs,
    all: true,
    env: { KUBECONFIG: '' },
  });
  let output = '';
  const waiters = new Set<() => void>();
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  });
  const done = child.then((r) => ({
    stdout: String(r.stdout),
    stderr: String(r.stderr),
    exitCode: r.exitCode ?? -1,
  }));
  return {
    output: () => output,
    waitFor(pattern, waitMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`kubectl ${args.join(' ')}: no ${pattern} in:\n${output}`));
        }, waitMs);
        waiters.add(check);
        check();
      });
    },
    done,
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
