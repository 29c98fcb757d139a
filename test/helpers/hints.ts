import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run, type RunResult, type TestRepo } from './repo.js';

/** Shared by the lifecycle hint tests: follow what relmgr says to do, and check where it leads. */

export type Project = TestRepo & { bare: string };
export const BUILD = (run: string) => `schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  build:\n    steps:\n      - { name: compile, run: ${JSON.stringify(run)} }\n`;

/** The hint of a failure, or the `Next:` line of a success: where the user is sent. */
export function pointer(result: RunResult): string {
  // relmgr's hint is the last line of its error (a git error quoted above it may have its own hints).
  const hints = [...result.stderr.matchAll(/^hint: (.*)$/gm)];
  return (hints.at(-1) ?? /^Next: (.*)$/m.exec(result.stdout))?.[1] ?? '';
}

/** Runs exactly `command` after checking that `from` names it (in its hint or its Next: line). */
export async function follow(r: Project, from: RunResult, command: string): Promise<RunResult> {
  expect(pointer(from), `${from.stdout}${from.stderr}`).toContain(command);
  const [tool = '', ...args] = command.split(' ');
  if (tool === 'relmgr') return await run(r, args);
  try {
    return { code: 0, stdout: execFileSync(tool, args, { cwd: r.dir, env: r.env, encoding: 'utf8', stdio: 'pipe' }), stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}


export const state = async (r: Project) => JSON.parse((await run(r, ['status', '--json'])).stdout) as { version: string; state: string };
export const onRemote = (r: Project, ref: string) => execFileSync('git', ['ls-remote', r.bare, ref], { encoding: 'utf8' }).trim() !== '';

/** Another machine: a clone of the remote that pushes a commit (and maybe a tag) to main. */
export function pushElsewhere(r: Project, tag?: string): void {
  const other = join(r.home, `other-${Math.random().toString(36).slice(2)}`);
  execFileSync('git', ['clone', '-q', r.bare, other], { env: r.env });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: other, env: r.env, encoding: 'utf8' });
  writeFileSync(join(other, 'other.txt'), 'from elsewhere\n');
  git('add', 'other.txt');
  git('commit', '-q', '-m', 'fix: from elsewhere');
  if (tag) git('tag', '-a', '-m', tag, tag);
  git('push', '-q', 'origin', 'main', ...(tag ? [tag] : []));
}

/** Another clone of the remote (a CI runner), with its own identity. */
export function otherClone(r: Project): Project {
  const dir = join(r.home, `ci-${Math.random().toString(36).slice(2)}`);
  execFileSync('git', ['clone', '-q', r.bare, dir], { env: r.env });
  for (const [key, value] of [['user.name', 'Ci'], ['user.email', 'ci@example.com']]) execFileSync('git', ['config', key as string, value as string], { cwd: dir, env: r.env });
  return { ...r, dir, git: (...args: string[]) => execFileSync('git', args, { cwd: dir, env: r.env, encoding: 'utf8' }).trim() };
}

