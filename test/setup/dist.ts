// Vitest global setup: tests that spawn bin/relmgr.js run dist/, so dist/ must be built from the
// src/ under test. Rebuilt (scripts/build.mjs, ~0.3 s of CPU) only when something the bundle is
// made of is newer than dist/main.js: src/, the build script, or the dependencies it bundles.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const INPUTS = ['src', 'scripts/build.mjs', 'package.json', 'package-lock.json'];

/** The newest modification time under `path` (a file or a directory), 0 when it does not exist. */
function newest(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/** Whether dist/ is missing or older than what it is built from. */
export function distIsStale(root = ROOT): boolean {
  const built = newest(join(root, 'dist', 'main.js'));
  return built === 0 || INPUTS.some((input) => newest(join(root, input)) > built);
}

export default function setup(): void {
  if (!distIsStale()) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`building dist/ for the tests failed (node scripts/build.mjs exited ${result.status ?? result.signal})`);
}
