// asciichart ships no types; only what the chart presentation uses.
declare module 'asciichart' {
  export interface PlotConfig {
    min?: number;
    max?: number;
    height?: number;
    offset?: number;
    padding?: string;
    format?: (x: number, i: number) => string;
    colors?: string[];
    symbols?: string[];
  }
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  const asciichart: { plot: typeof plot };
  export default asciichart;
}
