// Sizes as the manifest writes them: "10MiB", "512KiB", "1GiB", "800B", or a number of bytes.

const UNIT_BYTES: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
};

/** Bytes for a size like `10MiB`, or null when the text is not a positive size. */
export function parseSize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)$/.exec(text);
  if (!match) return null;
  const bytes = Math.round(Number(match[1]) * UNIT_BYTES[match[2]!]!);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}
