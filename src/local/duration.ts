// Durations as the manifest writes them: "500ms", "30s", "2m", "1h", "1.5s".

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for a duration like `30s`, or null when the text is not a positive duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!match) return null;
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
