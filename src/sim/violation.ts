// What a broken invariant reports: the rule it breaks and what happened, with the seed and step
// that replay it once the simulation stops.

/** A broken invariant, named by the rule it protects. */
export interface Violation {
  rule: string;
  message: string;
  seed?: number;
  step?: number;
}
