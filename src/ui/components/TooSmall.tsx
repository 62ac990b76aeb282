import { tooSmallLines } from '../present/too-small.ts';
import { Lines } from './Lines.tsx';

/** The only lines shown below the minimum size. */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return <Lines lines={tooSmallLines(columns, rows)} color={false} />;
}
