// The engine's clock in the daemon (defect 10): monotonic, so an NTP step of the wall clock
// never times out every starting container at once. It reads like epoch milliseconds (anchored
// to the wall clock when this process started) but advances with the monotonic clock only. Each
// event also carries the wall time, which the engine uses only for what it records and shows.
const anchor = Date.now() - performance.now();

/** The engine's time now (monotonic, in epoch-like milliseconds). */
export function engineNow(): number {
  return anchor + performance.now();
}

/** `at` and `wall` for an engine event. */
export function stamp(): { at: number; wall: number } {
  return { at: engineNow(), wall: Date.now() };
}
