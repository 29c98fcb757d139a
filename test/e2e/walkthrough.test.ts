import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitEnv } from '../helpers/repo.js';

const root = resolve(import.meta.dirname, '../..');

/**
 * The README's walk-through, run as written: the shell blocks between `<!-- walkthrough -->` and
 * `<!-- /walkthrough -->`, one command per line, each expected to exit 0 unless its comment says
 * `# exit N`. `/tmp/shop` becomes a temporary directory; `relmgr` is this checkout's bin/relmgr.js.
 */
function walkthrough(readme: string): { line: string; exit: number }[] {
  const section = /<!-- walkthrough -->([\s\S]*?)<!-- \/walkthrough -->/.exec(readme)?.[1] ?? '';
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1] as string);
  return blocks
    .flatMap((block) => block.split('\n'))
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map((line) => ({ line, exit: Number(/#\s*exit (\d+)/.exec(line)?.[1] ?? 0) }));
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

describe('the README walk-through', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'relmgr-walkthrough-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs as written, every command exiting as the README says', () => {
    const steps = walkthrough(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(steps.length).toBeGreaterThan(8);
    const shop = join(scratch, 'shop');
    const script = [
      'shopt -s expand_aliases',
      `cd ${quote(root)}`,
      ...steps.flatMap(({ line, exit }) => {
        const command = line.replaceAll('/tmp/shop', shop);
        return [command, `got=$?; if [ "$got" != ${exit} ]; then echo "walk-through: exit $got, not ${exit}: "${quote(line)} >&2; exit 99; fi`];
      }),
    ].join('\n');
    writeFileSync(join(scratch, 'walk.sh'), script);
    const home = join(scratch, 'home');
    spawnSync('mkdir', ['-p', home]);
    writeFileSync(join(home, '.gitconfig'), '[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n');
    // The sample's clone says who its people are (git config): no identity from the environment.
    const env = Object.fromEntries(Object.entries(gitEnv(home)).filter(([key]) => !/^GIT_(AUTHOR|COMMITTER)_/.test(key)));
    const result = spawnSync('bash', [join(scratch, 'walk.sh')], { env, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, `${result.stderr}\n${result.stdout}`).toBe(0);
    // Production ends on the hotfix, staging too; the hotfix branch and every tag reached the remote.
    expect(readFileSync(join(scratch, 'shop-envs', 'production'), 'utf8').trim()).toBe('1.1.1');
    const remote = spawnSync('git', ['ls-remote', '--heads', '--tags', join(scratch, 'shop.git')], { env, encoding: 'utf8' }).stdout;
    for (const ref of ['refs/heads/hotfix/1.1.1', 'refs/tags/v1.1.0', 'refs/tags/v1.1.1', 'refs/tags/v1.2.0', 'refs/tags/v1.3.0']) expect(remote).toContain(ref);
  });
});
