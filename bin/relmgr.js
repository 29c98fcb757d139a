#!/usr/bin/env node
// relmgr's entry point: everything lives in dist/ (built by `npm run build`, and by `npm pack`).
import module from 'node:module';
import { existsSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Fast path: answering --version needs no modules at all.
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const main = new URL('../dist/main.js', import.meta.url);
  if (!existsSync(main)) buildFromClone();
  // Node 22+ can keep compiled code between runs; start-up dominates short commands.
  module.enableCompileCache?.();
  const { main: run } = await import(main.href);
  process.exitCode = await run(argv);
}

/**
 * A clone has no dist/ until it is built. Build it once, here, rather than in an install script:
 * a package installed from a tarball or a registry ships dist/ and never runs a build.
 */
function buildFromClone() {
  const script = new URL('../scripts/build.mjs', import.meta.url);
  if (!existsSync(script)) {
    process.stderr.write('error[E_INSTALL]: this relmgr installation has no dist/ folder\nhint: reinstall relmgr (npm install relmgr)\n');
    process.exit(1);
  }
  process.stderr.write('relmgr: first run from a clone: building dist/ (npm run build)\n');
  const { spawnSync } = module.createRequire(import.meta.url)('node:child_process');
  const built = spawnSync(process.execPath, [script.pathname], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    process.stderr.write('error[E_INSTALL]: building relmgr failed (are its devDependencies installed? run: npm install)\n');
    process.exit(1);
  }
}
