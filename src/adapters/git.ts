import { existsSync, statSync } from 'node:fs';
import type { RawCommit } from '../core/commits.js';
import type { TagRef } from '../core/tags.js';
import { PreconditionError, RuntimeError, UsageError } from '../errors.js';
import { formatTimeout } from '../core/network.js';
import { redactUrlCredentials } from '../core/redact.js';
import { runText, streamText, type RunResult } from './exec.js';
import { LOG_ARGS, logSplitter, US } from './git-log.js';

/*
 * All git access. Git runs as a plain child process with arguments relmgr builds itself (refs
 * from users are resolved with --end-of-options first). simple-git was the plan, but loading it
 * costs ~20 ms and it hides exit codes; `relmgr next` has a start-up budget that
 * it alone would break. Measured in `npm run bench`.
 */

export interface RepoInfo {
  /** Absolute path of the working tree's top level. */
  root: string;
  /** The commit HEAD points at; null in a repository with no commits yet. */
  head: string | null;
  shallow: boolean;
}

/** The range of `git log`: commits reachable from `to` and not from `from`. */
export interface LogRange {
  from?: string | null;
  to: string;
  /**
   * Also collect the boundary: the commits just outside the range that commits in it have as
   * parents. `from` is among them exactly when it is an ancestor of `to` (and `to` is not `from`),
   * which answers the ancestry question in the same process.
   */
  boundary?: Set<string>;
}

export interface GitPort {
  readonly cwd: string;
  repoInfo(): Promise<RepoInfo>;
  /** Every tag with the commit it points at; memoised, so it can be started early. */
  tags(): Promise<TagRef[]>;
  /** True when `ancestor` is reachable from `descendant`. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Names of tags whose commit is reachable from `ref` (one process for all of them). */
  tagsMergedInto(ref: string): Promise<Set<string>>;
  /** The full hash of a commit-ish, or undefined when it does not resolve. */
  resolveCommit(ref: string): Promise<string | undefined>;
  remoteUrl(remote?: string): Promise<string | undefined>;
  /** A git config value (`user.email`), or undefined when unset. */
  configValue(key: string): Promise<string | undefined>;
  /** Who git would commit as (config or GIT_COMMITTER_* environment), or undefined when it cannot tell. */
  committer(): Promise<{ name: string; email: string } | undefined>;
  /** The checked-out branch, or undefined on a detached HEAD. */
  currentBranch(): Promise<string | undefined>;
  /** Streams the range through one `git log`, calling `onCommit` per commit, newest first. */
  log(range: LogRange, onCommit: (commit: RawCommit) => void): Promise<void>;
  /**
   * The commits reachable from `tips` and from none of `not`, with their parents, committer time
   * (epoch seconds) and subject: one `git log`, whatever the number of tips.
   */
  commitGraph(tips: readonly string[], not: readonly string[]): Promise<CommitNode[]>;
}

/** A commit of `GitPort.commitGraph`. */
export interface CommitNode {
  hash: string;
  parents: string[];
  /** Committer time, epoch seconds. */
  time: number;
  subject: string;
}

const FULL_HASH = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** Options every git call gets: stable, uncoloured, no signatures in log output. */
const CONFIG = ['core.quotepath=off', 'log.showSignature=false', 'color.ui=false'].flatMap((c) => ['-c', c]);

function gitEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  // Messages must be parseable whatever the user's locale is, and git must never ask for a password.
  out.LC_ALL = 'C';
  out.GIT_TERMINAL_PROMPT = '0';
  return out;
}

/** A git command that talks to a remote: stopped (with its ssh or remote helper) past `timeoutMs`. */
export interface NetworkCall {
  remote: string;
  timeoutMs: number;
  /** What the command was for, e.g. "fetch the ledger". */
  purpose: string;
  /** What to do about it (a command that works from where the timeout leaves things). */
  hint: string;
}

/** The error of a remote that did not answer in time (exit 1): the remote, the operation, the limit. */
export function networkTimeoutError(operation: string, call: NetworkCall): RuntimeError {
  return new RuntimeError('E_NETWORK_TIMEOUT', `could not ${call.purpose}: ${call.remote} did not answer git ${operation} within ${formatTimeout(call.timeoutMs)} (stopped)`, {
    hint: call.hint,
  });
}

export interface GitRunner {
  readonly cwd: string;
  /**
   * Runs git; exit codes listed in `answers` are results, any other non-zero exit is an error.
   * With `network`, git is stopped past its timeout and the run fails with E_NETWORK_TIMEOUT.
   */
  run(args: string[], answers?: readonly number[], options?: { input?: string; env?: Record<string, string>; network?: NetworkCall }): Promise<RunResult>;
  /** The process environment git runs with. */
  readonly env: Record<string, string>;
  spawnFailed(error: unknown): never;
}

/** The one way git is run: stable options, the user's environment, errors that name the command. */
export function createRunner(cwd: string, env: Readonly<Record<string, string | undefined>>): GitRunner {
  const environment = gitEnv(env);
  const spawnFailed = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') {
      if (!existsSync(cwd)) throw new UsageError('E_NO_DIR', `directory ${cwd} does not exist`, { hint: 'check the -C/--cwd path' });
      if (!statSync(cwd).isDirectory()) throw new UsageError('E_NO_DIR', `${cwd} is a file, not a directory`, { hint: 'give -C/--cwd the directory of the repository' });
      if (code === 'EACCES') throw new PreconditionError('E_UNREADABLE', `directory ${cwd} cannot be entered (permission denied)`, { hint: 'check its permissions (ls -ld), or pass another -C/--cwd' });
      throw new PreconditionError('E_NO_GIT', 'git is not installed (or not on PATH)', { hint: 'install git, then run relmgr again' });
    }
    throw error;
  };
  return {
    cwd,
    env: environment,
    spawnFailed,
    async run(args, answers = [], extra = {}) {
      const options = {
        cwd,
        env: extra.env ? { ...environment, ...extra.env } : environment,
        ...(extra.input !== undefined ? { input: extra.input } : {}),
        ...(extra.network ? { timeoutMs: extra.network.timeoutMs } : {}),
      };
      const result = await runText('git', [...CONFIG, ...args], options).catch(spawnFailed);
      if (result.timedOut && extra.network) throw networkTimeoutError(args[0] ?? '', extra.network);
      if (result.exitCode !== 0 && !answers.includes(result.exitCode)) {
        if (/not a git repository/i.test(result.stderr)) {
          throw new PreconditionError('E_NOT_GIT_REPO', `${cwd} is not inside a git repository`, {
            hint: 'run relmgr inside a git checkout, or pass -C <dir>; to start one: git init',
          });
        }
        throw gitFailed(`git ${args[0] ?? ''}`, cwd, result);
      }
      return result;
    },
  };
}

/** A git command that failed: git's own words, and what to try (a repository owned by someone else is common in CI containers). */
export function gitFailed(what: string, cwd: string, result: { stderr: string; exitCode: number | null }): RuntimeError {
  const stderr = redactUrlCredentials(result.stderr).trim();
  const hint = /dubious ownership/i.test(stderr)
    ? `git refuses a repository owned by another user; if you trust it: git config --global --add safe.directory ${cwd}`
    : `run it yourself in ${cwd} to see git's full answer; relmgr --verbose shows more`;
  return new RuntimeError('E_GIT', `${what} failed: ${stderr || `exit code ${result.exitCode}`}`, { hint });
}

export function createGit(cwd: string, env: Readonly<Record<string, string | undefined>>): GitPort {
  const runner = createRunner(cwd, env);
  const run = runner.run;
  const options = { cwd, env: runner.env };
  const spawnFailed = runner.spawnFailed;

  let tagsPromise: Promise<TagRef[]> | undefined;
  const listTags = async (): Promise<TagRef[]> => {
    const { stdout } = await run(['for-each-ref', `--format=%(refname:strip=2)${US}%(objectname)${US}%(*objectname)${US}%(creatordate:iso-strict)`, 'refs/tags']);
    const tags: TagRef[] = [];
    for (const line of stdout.split('\n')) {
      if (line === '') continue;
      const [name = '', object = '', peeled = '', date = ''] = line.split(US);
      tags.push({ name, commit: peeled || object, date });
    }
    return tags;
  };

  return {
    cwd,
    async repoInfo() {
      // One process: top level, shallowness and HEAD (quietly absent without commits: exit 1).
      const { stdout } = await run(['rev-parse', '--show-toplevel', '--is-shallow-repository', '--quiet', '--verify', 'HEAD^{commit}'], [1]);
      const [root = cwd, shallow = 'false', head = ''] = stdout.trim().split('\n');
      return { root, head: FULL_HASH.test(head) ? head : null, shallow: shallow === 'true' };
    },
    tags() {
      tagsPromise ??= listTags();
      return tagsPromise;
    },
    async isAncestor(ancestor, descendant) {
      // 0: ancestor; 1: not; 128: one of them is no commit (a tag on a tree, a missing object).
      const { exitCode } = await run(['merge-base', '--is-ancestor', ancestor, descendant], [1, 128]);
      return exitCode === 0;
    },
    async tagsMergedInto(ref) {
      const { stdout } = await run(['tag', '--merged', ref]);
      return new Set(stdout.split('\n').filter((line) => line !== ''));
    },
    async resolveCommit(ref) {
      const { stdout } = await run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], [1, 128]);
      const hash = stdout.trim();
      return FULL_HASH.test(hash) ? hash : undefined;
    },
    async remoteUrl(remote = 'origin') {
      return this.configValue(`remote.${remote}.url`);
    },
    async configValue(key) {
      const { stdout } = await run(['config', '--get', key], [1]);
      return stdout.trim() || undefined;
    },
    async committer() {
      // Both at once: git's identity, and the name as typed (git drops < and > from a name it writes into a
      // commit; the ledger keeps the name as typed, when that is the one git used).
      const [result, configured] = await Promise.all([
        run(['var', 'GIT_COMMITTER_IDENT'], [128]),
        runner.env.GIT_COMMITTER_NAME === undefined ? run(['config', '--get', 'user.name'], [1]) : null,
      ]);
      const match = /^(.*?) <([^>]*)>/.exec(result.stdout.trim());
      if (result.exitCode !== 0 || !match) return undefined;
      const name = (match[1] ?? '').trim();
      const typed = runner.env.GIT_COMMITTER_NAME ?? configured?.stdout.trim() ?? name;
      return { name: typed !== name && typed.replace(/[<>]/g, '').trim() === name ? typed.trim() : name, email: match[2] ?? '' };
    },
    async currentBranch() {
      const { stdout } = await run(['symbolic-ref', '--quiet', '--short', 'HEAD'], [1]);
      return stdout.trim() || undefined;
    },
    async log(range, onCommit) {
      const revs = range.from ? [`${range.from}..${range.to}`] : [range.to];
      const boundary = range.boundary;
      const splitter = logSplitter(onCommit, (hash) => boundary?.add(hash));
      const args = [...CONFIG, 'log', '--no-color', ...LOG_ARGS, ...(boundary ? ['--boundary'] : []), ...revs, '--'];
      const result = await streamText('git', args, options, (text) => splitter.push(text)).catch(spawnFailed);
      if (result.exitCode !== 0) {
        throw gitFailed(`git log ${revs.join(' ')}`, cwd, result);
      }
      splitter.end();
    },
    async commitGraph(tips, not) {
      if (tips.length === 0) return [];
      const { stdout } = await run(['log', '--no-color', `--format=%H${US}%P${US}%ct${US}%s`, ...tips, ...(not.length > 0 ? ['--not', ...not] : []), '--']);
      return stdout.split('\n').flatMap((line): CommitNode[] => {
        const [hash = '', parents = '', time = '', subject = ''] = line.split(US);
        return FULL_HASH.test(hash) ? [{ hash, parents: parents === '' ? [] : parents.split(' '), time: Number(time), subject }] : [];
      });
    },
  };
}
