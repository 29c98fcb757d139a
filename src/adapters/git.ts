import { simpleGit, type SimpleGit } from 'simple-git';
import type { RawCommit } from '../core/commits.js';
import type { TagRef } from '../core/tags.js';
import { PreconditionError, RuntimeError } from '../errors.js';
import { redactUrlCredentials } from '../ui/redact.js';
import { streamText } from './exec.js';

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
}

export interface GitPort {
  readonly cwd: string;
  repoInfo(): Promise<RepoInfo>;
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
  /** The checked-out branch, or undefined on a detached HEAD. */
  currentBranch(): Promise<string | undefined>;
  /** Streams the range through one `git log`, calling `onCommit` per commit, newest first. */
  log(range: LogRange, onCommit: (commit: RawCommit) => void): Promise<void>;
}

const FULL_HASH = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const RS = '\x1e';
const US = '\x1f';
const LOG_FORMAT = `--format=${RS}%H${US}%P${US}%an${US}%ae${US}%aI${US}%B`;
/** Options every git call gets: stable, uncoloured, never paged, no signatures. */
const CONFIG = ['core.quotepath=off', 'log.showSignature=false', 'color.ui=false'];
/*
 * simple-git refuses to run when the environment carries settings such as GIT_CONFIG_GLOBAL,
 * GIT_SSH_COMMAND or GIT_ASKPASS (VS Code's terminal sets the last). That guard protects programs
 * that pass untrusted arguments; relmgr passes only its own, and the environment is the user's.
 */
const TRUST_USER_ENVIRONMENT = {
  allowUnsafeConfigPaths: true,
  allowUnsafeConfigEnvCount: true,
  allowUnsafeAskPass: true,
  allowUnsafeEditor: true,
  allowUnsafePager: true,
  allowUnsafeSshCommand: true,
  allowUnsafeGitProxy: true,
  allowUnsafeTemplateDir: true,
  allowUnsafeDiffExternal: true,
};

function gitEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  // Messages must be parseable whatever the user's locale is.
  out.LC_ALL = 'C';
  out.GIT_TERMINAL_PROMPT = '0';
  return out;
}

function parseRecord(record: string): RawCommit | undefined {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const end = record.indexOf(US, start);
    if (end < 0) return undefined;
    fields.push(record.slice(start, end));
    start = end + 1;
  }
  const [hash, parents, authorName, authorEmail, date] = fields as [string, string, string, string, string];
  return {
    hash,
    parents: parents === '' ? [] : parents.split(' '),
    authorName,
    authorEmail,
    date,
    message: record.slice(start).replace(/\n+$/, ''),
  };
}

export function createGit(cwd: string, env: Readonly<Record<string, string | undefined>>): GitPort {
  const environment = gitEnv(env);
  let client: SimpleGit | undefined;
  const git = (): SimpleGit => {
    client ??= simpleGit({ baseDir: cwd, config: CONFIG, unsafe: TRUST_USER_ENVIRONMENT } as Parameters<typeof simpleGit>[0] & object).env(environment);
    return client;
  };
  const raw = async (args: string[]): Promise<string> => {
    try {
      return await git().raw(args);
    } catch (error) {
      const message = redactUrlCredentials(error instanceof Error ? error.message : String(error)).trim();
      throw new RuntimeError('E_GIT', `git ${args[0] ?? ''} failed: ${message}`, { cause: error });
    }
  };

  return {
    cwd,
    async repoInfo() {
      let out: string;
      try {
        out = await git().raw(['rev-parse', '--show-toplevel', '--is-shallow-repository']);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/not a git repository/i.test(message)) {
          throw new PreconditionError('E_NOT_GIT_REPO', `${cwd} is not inside a git repository`, {
            hint: 'run relmgr inside a git checkout, or pass -C <dir>; to start one: git init',
          });
        }
        if (/does not exist|ENOENT/i.test(message)) {
          throw new PreconditionError('E_NO_DIR', `directory ${cwd} does not exist`, { hint: 'check the -C/--cwd path' });
        }
        throw new RuntimeError('E_GIT', `git rev-parse failed: ${redactUrlCredentials(message).trim()}`, { cause: error });
      }
      const [root = cwd, shallow = 'false'] = out.trim().split('\n');
      const head = await this.resolveCommit('HEAD');
      return { root, head: head ?? null, shallow: shallow.trim() === 'true' };
    },
    async tags() {
      const out = await raw([
        'for-each-ref',
        `--format=%(refname:strip=2)${US}%(objectname)${US}%(*objectname)${US}%(creatordate:iso-strict)`,
        'refs/tags',
      ]);
      const tags: TagRef[] = [];
      for (const line of out.split('\n')) {
        if (line === '') continue;
        const [name = '', object = '', peeled = '', date = ''] = line.split(US);
        tags.push({ name, commit: peeled || object, date });
      }
      return tags;
    },
    async isAncestor(ancestor, descendant) {
      // simple-git hides exit codes, so `merge-base --is-ancestor` cannot be read; the merge base
      // of A and B is A itself exactly when A is an ancestor of B.
      const full = (ref: string): Promise<string | undefined> => (FULL_HASH.test(ref) ? Promise.resolve(ref) : this.resolveCommit(ref));
      const [a, b] = await Promise.all([full(ancestor), full(descendant)]);
      if (a === undefined || b === undefined) return false;
      if (a === b) return true;
      return (await raw(['merge-base', a, b])).trim() === a;
    },
    async tagsMergedInto(ref) {
      const out = await raw(['tag', '--merged', ref]);
      return new Set(out.split('\n').filter((line) => line !== ''));
    },
    async resolveCommit(ref) {
      if (ref.startsWith('-')) return undefined;
      const hash = (await raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
      return FULL_HASH.test(hash) ? hash : undefined;
    },
    async remoteUrl(remote = 'origin') {
      return (await raw(['config', '--get', `remote.${remote}.url`])).trim() || undefined;
    },
    async configValue(key) {
      return (await raw(['config', '--get', key])).trim() || undefined;
    },
    async currentBranch() {
      return (await raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || undefined;
    },
    async log(range, onCommit) {
      const revs = range.from ? [`${range.from}..${range.to}`] : [range.to];
      let buffer = '';
      const flush = (final: boolean): void => {
        let start = buffer.indexOf(RS);
        while (start >= 0) {
          const end = buffer.indexOf(RS, start + 1);
          if (end < 0 && !final) break;
          const record = parseRecord(buffer.slice(start + 1, end < 0 ? undefined : end));
          if (record) onCommit(record);
          start = end;
        }
        buffer = start < 0 ? '' : buffer.slice(start);
      };
      const args = CONFIG.flatMap((c) => ['-c', c]).concat(['log', '--no-color', LOG_FORMAT, ...revs, '--']);
      const result = await streamText('git', args, { cwd, env: environment }, (text) => {
        buffer += text;
        flush(false);
      });
      if (result.exitCode !== 0) {
        throw new RuntimeError('E_GIT', `git log ${revs.join(' ')} failed: ${redactUrlCredentials(result.stderr).trim()}`);
      }
      flush(true);
    },
  };
}
