// Inputs for the Snapshot, read from the metrics API beside the machine polls and never in their
// way: Fly's metrics are scraped every ~15 s, so a reading is refreshed every 5 s at most, in the
// background; a refusal (the token does not reach the org's metrics) is remembered for a minute.
// What is missing is said in `note`, and the numbers stay null: "not reported", never 0.
import { ProviderError } from '../../engine/provider-error.ts';
import type { InputsReading, MetricsApi } from './metrics-api.ts';

const refreshMs = 5000;
const refusedRetryMs = 60_000;
const staleMs = 30_000;

const queueNote = "Fly's proxy keeps no request queue: queued is not reported";

export class InputsSource {
  private reading: InputsReading | null = null;
  private readAt = 0;
  private attemptAt = 0;
  private refusedUntil = 0;
  private note = "inputs: waiting for the first answer of Fly's metrics API";
  private pending: Promise<void> | null = null;

  constructor(
    private readonly api: MetricsApi,
    private readonly app: string,
  ) {}

  /** The reading to show now (null when there is none fresh enough), and what is not reported. */
  current(now = Date.now()): { reading: InputsReading | null; note: string } {
    if (this.reading && now - this.readAt <= staleMs) return { reading: this.reading, note: queueNote };
    return { reading: null, note: this.note };
  }

  /**
   * Starts a background read when the last one is old enough (`org` null: none is known); the
   * promise settles when it is done, for a one-off snapshot that can wait for it.
   */
  refresh(org: string | null, now = Date.now()): Promise<void> {
    if (this.pending) return this.pending;
    if (now - this.attemptAt < refreshMs || now < this.refusedUntil) return Promise.resolve();
    if (org === null) {
      this.note = "inputs not reported: the app's organisation is unknown (give --org)";
      return Promise.resolve();
    }
    this.attemptAt = now;
    this.pending = this.api
      .read(org, this.app)
      .then((reading) => {
        this.reading = reading;
        this.readAt = Date.now();
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof ProviderError && (error.code === 'forbidden' || error.code === 'not-found')) {
          this.refusedUntil = Date.now() + refusedRetryMs;
          this.note = `inputs not reported: Fly's metrics API refused this token for org ${org} (${message})`;
        } else {
          this.note = `inputs not reported: Fly's metrics API did not answer (${message})`;
        }
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
