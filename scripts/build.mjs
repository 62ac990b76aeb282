// Bundles the CLI into dist/cutover.js with esbuild: one file starts in about half the time of
// the unbundled module graph (see the startup benchmark). better-sqlite3 stays external
// because it is a native addon; react-devtools-core (an optional Ink peer) is stubbed out.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cutover.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  external: ['better-sqlite3'],
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs' },
  define: { 'process.env.NODE_ENV': '"production"' },
  // ESM bundles of CommonJS dependencies need a require() of their own.
  banner: {
    js: "import { createRequire as __cutoverRequire } from 'node:module'; const require = __cutoverRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
