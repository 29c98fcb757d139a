import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { FsPort } from '../adapters/fs.js';
import type { ReleaseGit } from '../adapters/git-release.js';
import type { ShellPort } from '../context.js';
import { unifiedDiff } from '../core/diff.js';

/** What a dry run would have done, in the order it would have done it. */
export type RecordedAction =
  | { kind: 'run'; command: string }
  | { kind: 'write'; path: string; before: string | null; after: string }
  | { kind: 'remove'; path: string }
  | { kind: 'git'; command: string };

/**
 * Ports that read for real and record every change instead of making it: `--dry-run` applies the
 * same plan through them as the real command applies through the live ports.
 */
export class Recording {
  readonly actions: RecordedAction[] = [];

  shell(): ShellPort {
    return {
      run: async (run) => {
        const last = this.actions.at(-1);
        // A check that must pass steadily (stable_for) is asked again and again: once is what it would run.
        if (!(last?.kind === 'run' && last.command === run.command)) this.actions.push({ kind: 'run', command: run.command });
        return { exitCode: 0, signal: null, timedOut: false, durationMs: 0 };
      },
      openLog: async () => ({ write: () => undefined, close: async () => undefined }),
    };
  }

  fs(real: FsPort): FsPort {
    return {
      readText: (path) => real.readText(path),
      writeTextAtomic: async (path, text) => {
        this.actions.push({ kind: 'write', path, before: (await real.readText(path).catch(() => undefined)) ?? null, after: text });
      },
      remove: async (path) => {
        this.actions.push({ kind: 'remove', path });
      },
    };
  }

  releaseGit(real: ReleaseGit): ReleaseGit {
    const git = (command: string): void => {
      this.actions.push({ kind: 'git', command });
    };
    return {
      ...real,
      commit: async (paths, message) => {
        git(`git commit -m "${message}" -- ${paths.join(' ')}`);
        return '0'.repeat(40);
      },
      tag: async (tag) => git(`git tag --annotate ${tag}`),
      deleteTag: async (tag) => git(`git tag --delete ${tag}`),
      moveHead: async (from, to) => {
        git(`git update-ref HEAD ${to} ${from}`);
        return true;
      },
      restore: async (commit, paths) => git(`git restore --source ${commit} -- ${paths.join(' ')}`),
      unstage: async (paths) => git(`git rm --cached -- ${paths.join(' ')}`),
      push: async (remote, branch, tag, from = 'HEAD') => git(`git push --atomic ${remote} ${from}:refs/heads/${branch} refs/tags/${tag}`),
      // A hotfix's picks are made as commits no branch points at (invisible); its branch and checkout are recorded.
      createBranch: async (branch, commit) => {
        git(`git branch ${branch} ${commit.slice(0, 12)}  # ${commit.slice(0, 12)}: the picks onto the base release`);
        return true;
      },
      deleteBranch: async (branch) => {
        git(`git branch --delete --force ${branch}`);
        return true;
      },
      checkout: async (ref) => git(`git checkout ${ref}`),
    };
  }

  /** The file edits inside `root` (not step logs): what the release would change in the repository. */
  edits(root: string, ignore: string): Array<{ path: string; before: string | null; after: string }> {
    const edits: Array<{ path: string; before: string | null; after: string }> = [];
    for (const action of this.actions) {
      if (action.kind !== 'write') continue;
      const path = relative(root, action.path);
      if (path.startsWith('..') || path.startsWith(ignore)) continue;
      edits.push({ path, before: action.before, after: action.after });
    }
    return edits;
  }

  /** For people: the commands, every file edit as a unified diff, and the git commands. */
  describe(header: string, root: string, ignore: string, redact: (text: string) => string): string {
    const lines = [header, ''];
    const runs = this.actions.flatMap((a) => (a.kind === 'run' ? [a.command] : []));
    for (const run of runs) lines.push(`! would run ${redact(run)}`);
    if (runs.length > 0) lines.push('');
    for (const edit of this.edits(root, ignore)) {
      const diff = unifiedDiff(edit.path, edit.before ?? '', edit.after).trimEnd();
      lines.push(edit.before === null ? diff.replace(/^--- a\/.*$/m, '--- /dev/null') : diff, '');
    }
    const git = this.actions.flatMap((a) => (a.kind === 'git' ? [a.command] : a.kind === 'remove' ? [`rm ${relative(root, a.path)}`] : []));
    for (const command of git) lines.push(`! would run ${redact(command)}`);
    // Only a phase that changes git (cut) says it would not push; a deploy's dry run has nothing to push.
    if (git.length > 0 && !git.some((command) => command.startsWith('git push'))) lines.push('(no push: no remote, or --no-push)');
    return `${lines.join('\n')}\n`;
  }

  /** For programs: the same, with each edit as a diff and a digest — never whole files (a 13 MB lock file stays out). */
  toJson(root: string, ignore: string, redact: (text: string) => string): Record<string, unknown> {
    const digest = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;
    return {
      run: this.actions.flatMap((a) => (a.kind === 'run' ? [redact(a.command)] : [])),
      edits: this.edits(root, ignore).map((edit) => ({
        path: edit.path,
        created: edit.before === null,
        bytes: Buffer.byteLength(edit.after),
        sha256: digest(edit.after),
        diff: unifiedDiff(edit.path, edit.before ?? '', edit.after),
      })),
      git: this.actions.flatMap((a) => (a.kind === 'git' ? [redact(a.command)] : [])),
    };
  }
}
