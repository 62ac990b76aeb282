// The manifest's result and its error, shared by the reader and its callers.
import type { Spec } from '../../engine/types.ts';

/** The file every app directory carries. */
export const MANIFEST_FILE = 'cutover.toml';

/** A manifest resolved to the spec it deploys; only the image is left to the snapshot (D4). */
export interface Manifest {
  app: string;
  /** The manifest's path, as errors name it. */
  file: string;
  /** The app's directory: what the image snapshots. */
  dir: string;
  spec: Omit<Spec, 'image'>;
  /** Paths not copied into the image: globs with `*`, a trailing `/` for directories. */
  exclude: string[];
  includeNodeModules: boolean;
}

/** A manifest that cannot be used; `line`/`column` are 1-based, null when no line applies. */
export class ManifestError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;

  constructor(file: string, line: number | null, column: number | null, problem: string) {
    super(line === null ? `${file}: ${problem}` : `${file}:${line}:${column ?? 1}: ${problem}`);
    this.name = 'ManifestError';
    this.file = file;
    this.line = line;
    this.column = line === null ? null : (column ?? 1);
  }
}
