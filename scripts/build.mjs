// Bundles src/ into dist/ with esbuild: one entry (dist/main.js) plus lazily loaded chunks per
// command. Bundling is a start-up decision: loading ~300 small modules of commander, @inquirer and
// semver costs more than the work `relmgr next` does.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
//
// Run by `npm run build`, by `prepack` (so a tarball ships dist/), and by bin/relmgr.js the first
// time relmgr runs from a clone that has no dist/ yet. There is no install script.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __relmgrRequire } from 'node:module'; const require = __relmgrRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
