import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventPath, type LedgerEvent } from '../../src/core/lifecycle/events.js';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);

/** Adds an event from a newer relmgr (format 2) and a file that is not an event to the local ledger. */
function addUnreadable(r: TestRepo): void {
  const git = (args: string[], input?: string, env: Record<string, string> = {}) => execFileSync('git', args, { cwd: r.dir, env: { ...r.env, ...env }, input, encoding: 'utf8' }).trim();
  const planned = git(['ls-tree', '-r', '--name-only', 'relmgr/ledger']).split('\n').find((p) => p.endsWith('release.planned.json')) as string;
  const newer = { ...(JSON.parse(git(['show', `relmgr/ledger:${planned}`])) as LedgerEvent), v: 2, id: 'zzzzzzzz' };
  const blob = git(['hash-object', '-w', '--stdin'], `${JSON.stringify(newer)}\n`);
  const junk = git(['hash-object', '-w', '--stdin'], 'not json');
  const index = { GIT_INDEX_FILE: join(r.home, 'ledger-index') };
  git(['read-tree', 'relmgr/ledger'], undefined, index);
  git(['update-index', '--add', '--index-info'], `100644 blob ${blob}\t${eventPath(newer)}\n100644 blob ${junk}\tnotes.json\n`, index);
  git(['update-ref', 'refs/heads/relmgr/ledger', git(['commit-tree', git(['write-tree'], undefined, index), '-p', 'relmgr/ledger', '-m', 'more'])]);
}

describe('relmgr ledger log', () => {
  it('names events from a newer relmgr, and files that are not events, once', async () => {
    const r = project('schema: relmgr/v1\nversioning: { branches: [main] }\n');
    expect((await run(r, ['plan'])).code).toBe(0);
    addUnreadable(r);
    for (const args of [['ledger', 'log'], ['ledger', 'log', '--json']]) {
      const result = await run(r, args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr.match(/written by a newer relmgr/g), result.stderr).toHaveLength(1);
      expect(result.stderr.match(/notes\.json in the ledger is not a relmgr event/g), result.stderr).toHaveLength(1);
    }
  });
});
