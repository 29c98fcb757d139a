import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock } from '../../src/adapters/clock.js';
import type { Context } from '../../src/context.js';
import { main } from '../../src/main.js';
import { testContext } from './context.js';

export const BIN = resolve(import.meta.dirname, '../../bin/relmgr.js');

/** A clean, reproducible environment: fixed identity, UTC, C locale, no user or system config. */
export function gitEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TZ: 'UTC',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    SOURCE_DATE_EPOCH: '1795219200', // 2026-11-21T00:00:00Z
    ...extra,
  };
  return env;
}

export interface TestRepo {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  git(...args: string[]): string;
  /** Commits with a fixed, increasing date; returns the short hash. */
  commit(message: string, options?: { file?: string; content?: string }): string;
  tag(name: string, options?: { annotated?: boolean; ref?: string }): void;
  cleanup(): void;
}

let clock = 1_700_000_000;

export function makeRepo(options: { init?: boolean } = {}): TestRepo {
  const root = mkdtempSync(join(tmpdir(), 'relmgr-test-'));
  const home = join(root, 'home');
  const dir = join(root, 'repo');
  execFileSync('mkdir', ['-p', home, dir]);
  // No automatic gc/maintenance after every commit, fetch and push (a process each, and packing the
  // tests never look at); a ledger with every object loose is the bench's to measure.
  writeFileSync(join(home, '.gitconfig'), '[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n');
  const env = gitEnv(home);
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: { ...env, GIT_AUTHOR_DATE: `@${clock} +0000`, GIT_COMMITTER_DATE: `@${clock} +0000` }, encoding: 'utf8' }).trim();
  if (options.init !== false) git('init', '-q');
  let counter = 0;
  return {
    dir,
    home,
    env,
    git,
    commit(message, opts = {}) {
      clock += 60;
      counter += 1;
      writeFileSync(join(dir, opts.file ?? 'file.txt'), opts.content ?? `change ${counter}\n`);
      git('add', '-A');
      execFileSync('git', ['commit', '-q', '--allow-empty', '--allow-empty-message', '-F', '-'], {
        cwd: dir,
        input: message,
        env: { ...env, GIT_AUTHOR_DATE: `@${clock} +0000`, GIT_COMMITTER_DATE: `@${clock} +0000` },
      });
      return git('rev-parse', '--short=7', 'HEAD');
    },
    tag(name, opts = {}) {
      clock += 1;
      const args = opts.annotated ? ['tag', '-a', '-m', `release ${name}`, name] : ['tag', name];
      if (opts.ref) args.push(opts.ref);
      git(...args);
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs relmgr in this process — `main(argv, context)` with captured streams, the repository's
 * environment and real git — as CI would run it (no TTY). The default for command behaviour;
 * `relmgr()` spawns the binary for the process contract (exit status, streams, signals).
 */
export async function run(repo: Pick<TestRepo, 'dir' | 'env'>, args: string[], options: { env?: Record<string, string>; cwd?: string; context?: Partial<Context> } = {}): Promise<RunResult> {
  const ctx = testContext(options.cwd ?? repo.dir, { ...repo.env, ...options.env }, { clock: systemClock({ ...repo.env, ...options.env }), ...options.context });
  const code = await main(args, ctx);
  return { code, stdout: ctx.stdout.text, stderr: ctx.stderr.text };
}

/** Spawns bin/relmgr.js without a TTY, as CI would, and captures everything. */
export function relmgr(repo: Pick<TestRepo, 'dir' | 'env'>, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? repo.dir,
    env: { ...repo.env, ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Killed by a signal: the shell's convention, 128 + the signal number (SIGKILL → 137).
  const signal = result.signal ? (constants.signals[result.signal] ?? 0) : 0;
  return { code: result.status ?? (signal ? 128 + signal : -1), stdout: result.stdout, stderr: result.stderr };
}

/** Repositories made in a test file, removed after each test: `const repo = useRepos(afterEach)`. */
export function useRepos(afterEach: (fn: () => void) => void): (options?: { init?: boolean }) => TestRepo {
  const made: TestRepo[] = [];
  afterEach(() => made.splice(0).forEach((r) => r.cleanup()));
  return (options) => {
    const r = makeRepo(options);
    made.push(r);
    return r;
  };
}

/** A project with a bare remote: a released 1.0.0, a fix since, and this release.config.yaml. */
export function makeProject(repo: () => TestRepo, config = ''): TestRepo & { bare: string } {
  const r = repo();
  r.git('config', 'user.name', 'Alice');
  r.git('config', 'user.email', 'alice@example.com');
  writeFileSync(join(r.dir, 'package.json'), '{\n  "name": "demo",\n  "version": "1.0.0"\n}\n');
  writeFileSync(join(r.dir, '.gitignore'), '.marker*\n');
  if (config) writeFileSync(join(r.dir, 'release.config.yaml'), config);
  r.commit('feat: first', { file: 'a.txt' });
  r.tag('v1.0.0', { annotated: true });
  r.commit('fix: a bug', { file: 'a.txt' });
  const bare = join(r.home, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', bare], { env: r.env });
  r.git('remote', 'add', 'origin', bare);
  r.git('push', '-q', 'origin', 'main', '--tags');
  return Object.assign(r, { bare });
}

/**
 * Projects as makeProject builds them, but each configuration is built once per test file and then
 * copied for every test: a copy runs no git command, a build about a dozen. The copy is a project
 * of its own (its own home, remote and clone; the clone's origin is its own remote).
 * `const project = useProjects(afterEach, afterAll)`, then `project(config)` in a test.
 */
export function useProjects(afterEach: (fn: () => void) => void, afterAll: (fn: () => void) => void): (config?: string) => TestRepo & { bare: string } {
  const templates = new Map<string, TestRepo & { bare: string }>();
  afterAll(() => templates.forEach((t) => t.cleanup()));
  const repo = useRepos(afterEach);
  return (config = '') => {
    let template = templates.get(config);
    if (!template) {
      template = makeProject(() => makeRepo(), config);
      templates.set(config, template);
    }
    const r = repo({ init: false });
    const bare = join(r.home, 'remote.git');
    cpSync(template.dir, r.dir, { recursive: true });
    cpSync(template.bare, bare, { recursive: true });
    const gitConfig = join(r.dir, '.git', 'config');
    writeFileSync(gitConfig, readFileSync(gitConfig, 'utf8').replaceAll(template.bare, bare));
    return Object.assign(r, { bare });
  };
}
