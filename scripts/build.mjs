// Bundles src/ into dist/ with esbuild: one entry (dist/main.js) plus lazily loaded chunks per
// command. Bundling is a start-up budget decision (DESIGN.md §9): loading ~300 small modules of
// commander, simple-git and semver costs more than the work `relmgr next` does.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
//
// `--unless-packing` is the `prepare` script: it builds a clone (npm install, npm link, a git
// dependency) but not during `npm pack`/`npm publish`, whose `prepack` has just built.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

if (process.argv.includes('--unless-packing') && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

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
