// Summaries of repeated measurements: the median is reported, the spread says how much to trust it.

/** The median of the values (the mean of the middle two for an even count); NaN when empty. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The smallest and largest value. */
export function spread(values: number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** The median and spread of the values, with the values themselves. */
export function summarize(values: number[]): { median: number; min: number; max: number; values: number[] } {
  const [min, max] = spread(values);
  return { median: median(values), min, max, values };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
