// Builds (D4): runs an image's build command for the engine's `build-image` effect and reports
// how it ended. A newer command cancels a build still running; its end is then not reported.
import { join } from 'node:path';
import type { Effect } from '../../engine/effects.ts';
import type { PlatformEvent } from '../../engine/events.ts';
import { buildImage } from '../image/build.ts';
import { stamp } from './clock.ts';
import { baseEnv } from './daemon-env.ts';

export interface BuildsOptions {
  imagesDir: string;
  env: NodeJS.ProcessEnv;
  /** Keeps the image collector off the image store while the build runs; returns the release. */
  hold(): () => void;
  /** Where a build's end goes: the engine. */
  report(event: Extract<PlatformEvent, { type: 'build-finished' | 'build-failed' }>): void;
}

export class Builds {
  private readonly running = new Map<string, { abort: AbortController; requestId: string }>();
  private readonly outputs = new Map<string, string>();

  constructor(private readonly options: BuildsOptions) {}

  start(effect: Extract<Effect, { type: 'build-image' }>): void {
    const { buildId, requestId } = effect;
    const abort = new AbortController();
    const release = this.options.hold();
    this.running.set(buildId, { abort, requestId });
    const ref = effect.spec.image;
    const image = { ref, path: join(this.options.imagesDir, ref.slice(7)), sizeBytes: 0 };
    const env = { ...baseEnv(this.options.env), ...effect.spec.env };
    // Held until the build's process has ended, cancelled or not.
    buildImage({ image, command: effect.spec.build, env, signal: abort.signal })
      .finally(release)
      .then((result) => {
        if (!this.running.has(buildId)) return; // cancelled: a newer command superseded it
        this.running.delete(buildId);
        if (result.ok) {
          this.options.report({ type: 'build-finished', ...stamp(), buildId });
        } else {
          this.outputs.set(requestId, result.output);
          this.options.report({ type: 'build-failed', ...stamp(), buildId, output: result.output });
        }
      })
      .catch((error: Error) => {
        if (!this.running.has(buildId)) return; // cancelled
        this.running.delete(buildId);
        this.outputs.set(requestId, error.message);
        this.options.report({ type: 'build-failed', ...stamp(), buildId, output: error.message });
      });
  }

  cancel(buildId: string): void {
    this.running.get(buildId)?.abort.abort();
    this.running.delete(buildId);
  }

  /** A failed build's output for the deploy that asked for it (D4), once. */
  takeOutput(requestId: string): string | undefined {
    const output = this.outputs.get(requestId);
    this.outputs.delete(requestId);
    return output;
  }

  abortAll(): void {
    for (const build of this.running.values()) build.abort.abort();
  }
}
