#!/usr/bin/env node
// relmgr's entry point: everything lives in dist/ (built by `npm run build`).
import module from 'node:module';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Fast path: answering --version needs no modules at all.
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // Node 22+ can keep compiled code between runs; start-up dominates short commands.
  module.enableCompileCache?.();
  const { main } = await import('../dist/main.js');
  process.exitCode = await main(argv);
}
