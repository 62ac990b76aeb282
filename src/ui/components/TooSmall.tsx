import { Text } from 'ink';
import { tooSmallText } from '../present/too-small.ts';

/** The only line shown below the minimum size. */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return <Text wrap="truncate">{tooSmallText(columns, rows)}</Text>;
}
