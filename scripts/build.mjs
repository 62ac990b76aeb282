// Bundles the CLI into dist/ with esbuild: a bundle starts in about half the time of the
// unbundled module graph, and splitting it per command means `cutover watch` parses only what
// the watch screen needs (see the startup benchmark). Minified: less to parse at every start.
// better-sqlite3 stays external because it is a native addon, and @kubernetes/client-node because
// only a Kubernetes target loads it (it needs its own ws, which the stub below replaces); Ink's optional devtools
// (react-devtools-core, ws) are stubbed out.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cutover: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  external: ['better-sqlite3', '@kubernetes/client-node'],
  alias: { 'react-devtools-core': './scripts/devtools-stub.mjs', ws: './scripts/devtools-stub.mjs' },
  define: { 'process.env.NODE_ENV': '"production"' },
  // ESM bundles of CommonJS dependencies need a require() of their own.
  banner: {
    js: "import { createRequire as __cutoverRequire } from 'node:module'; const require = __cutoverRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
