import { execFileSync, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useRepos } from '../helpers/repo.js';

/*
 * What a user installs: `npm pack` of this repository, installed into an empty project with no
 * registry at all. dist/ is a bundle, so the package needs no dependencies and no install script.
 * (`npm test` has just built dist/; packing here skips prepack so no other test sees dist/ rebuilt.)
 */

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string>; dependencies?: Record<string, string> };
const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;
const repo = useRepos(afterEach);

/** Every module specifier dist/ loads that is neither relative nor part of Node. */
function unbundledImports(): string[] {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const found = new Set<string>();
  for (const file of readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(ROOT, 'dist', file), 'utf8');
    // esbuild's output: `import … from "x";` and `import "x";` at line starts, `import("x")`, `require("x")`.
    for (const match of code.matchAll(/^import\b[^;]*?\bfrom\s*(["'])([^"']+)\1|^import\s*(["'])([^"']+)\3|\bimport\(\s*(["'])([^"']+)\5\s*\)|(?<![\w$])(?:__)?require\(\s*(["'])([^"']+)\7\s*\)/gm)) {
      const specifier = (match[2] ?? match[4] ?? match[6] ?? match[8]) as string;
      if (!specifier.startsWith('.') && !builtins.has(specifier)) found.add(specifier);
    }
  }
  return [...found];
}

describe.skipIf(!npm)('the packed package', () => {
  it('bundles every runtime dependency and builds before packing', () => {
    expect(unbundledImports()).toEqual([]);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.scripts.prepack).toMatch(/build/);
    // No install script at all: npm warns about unapproved ones, and a registry install needs no build.
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook]).toBeUndefined();
  });

  it('installs offline with no dependencies and no install script, and runs', { timeout: 60_000 }, () => {
    const r = repo();
    const work = join(r.home, 'consumer');
    const env = { ...r.env, npm_config_cache: join(r.home, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
    mkdirSync(work);
    writeFileSync(join(work, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');

    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', r.home], { cwd: ROOT, env, encoding: 'utf8' })) as [{ filename: string; files: { path: string }[] }];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/relmgr.js', 'dist/main.js', 'package.json', 'schema/release.config.schema.json', 'templates/changelog.md.hbs', 'templates/release-notes.md.hbs', 'templates/install.md.hbs', 'LICENSE', 'README.md', 'docs/commands.md', 'release.config.example.yaml']));
    expect(files.filter((f) => /^(src|test|scripts|bench)\//.test(f))).toEqual([]);

    // An empty cache and --offline: anything the package needed from a registry would fail here.
    const install = spawnSync('npm', ['install', '--offline', '--foreground-scripts', join(r.home, packed[0].filename)], { cwd: work, env, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/^> relmgr@/m);
    expect(install.stderr).not.toMatch(/install-scripts|install script/i);
    expect(readdirSync(join(work, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['relmgr']);

    const bin = join(work, 'node_modules', '.bin', 'relmgr');
    expect(execFileSync(bin, ['--version'], { cwd: work, env, encoding: 'utf8' })).toBe(`${pkg.version}\n`);
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('feat: second');
    expect(execFileSync(bin, ['-C', r.dir, 'next'], { cwd: work, env, encoding: 'utf8' })).toBe('1.1.0\n');
  });
});
