import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';
import { deadPort, startReceiver, type Receiver } from '../helpers/receiver.js';

const SECRET = 'T0KEN-path-9f8e7d';

/** Staging then production (approved by bob), and a notify: section pointing at `url`. */
export function notifyConfig(url: string, extra = ''): string {
  return [
    'schema: relmgr/v1',
    'project: payments-api',
    'versioning: { branches: [main] }',
    'groups: { release-managers: [bob@example.com, carol@example.com] }',
    'phases:',
    '  build: { steps: [ { name: compile, run: "true" } ] }',
    '  test: { steps: [ { name: unit, run: "true" } ] }',
    '  deploy: { order: [staging, production] }',
    'environments:',
    '  staging:',
    '    deploy: [ { name: ship, run: "echo shipping with $HOOK_PATH" } ]',
    '  production:',
    '    tier: production',
    '    entry:',
    '      - approval: { id: signoff, rules: [ { from: release-managers, min: 1 } ] }',
    '    deploy: [ { name: ship, run: "true" } ]',
    'notify:',
    `  - webhook: "${url}/hooks/\${HOOK_PATH}"`,
    '    format: json',
    '    on: [planned, gate_pending, approved, deployed, deploy_failed, closed, overdue]',
    extra,
    '',
  ].join('\n');
}

const project = useProjects(afterEach, afterAll);
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const env = { HOOK_PATH: SECRET };
/** A fake sleep (no real waits): records what was asked. */
function fakeSleep(slept: number[]): Partial<Context> {
  return { sleep: async (ms: number) => void slept.push(ms) };
}

const ledgerText = (r: TestRepo): string => r.git('log', '-p', 'relmgr/ledger');
const events = (r: TestRepo, type: string): Record<string, unknown>[] =>
  r
    .git('ls-tree', '-r', '--name-only', 'relmgr/ledger')
    .split('\n')
    .filter((p) => p.endsWith(`-${type}.json`))
    .map((p) => JSON.parse(r.git('show', `relmgr/ledger:${p}`)) as Record<string, unknown>);

const BOB = { GIT_COMMITTER_NAME: 'Bob', GIT_COMMITTER_EMAIL: 'bob@example.com' };

async function ok(r: TestRepo, args: string[], context: Partial<Context> = {}, extra: Record<string, string> = {}) {
  const result = await run(r, args, { env: { ...env, ...extra }, context });
  expect(result.code, `${args.join(' ')}: ${result.stderr}${result.stdout}`).toBe(0);
  return result;
}

describe('notifications', () => {
  it('sends one POST per event, as JSON, with the gate’s deciders and command; secrets masked', async () => {
    const hook = await receiver();
    const r = project(notifyConfig(hook.url, `  - { webhook: "${hook.url}/slack/\${HOOK_PATH}", format: slack, on: [deployed], environments: [production] }`));
    const outputs: string[] = [];
    for (const args of [['plan'], ['cut'], ['test'], ['deploy', 'staging']]) outputs.push(JSON.stringify(await ok(r, args)));
    const pending = await run(r, ['deploy', 'production'], { env });
    outputs.push(JSON.stringify(pending));
    outputs.push(JSON.stringify(await ok(r, ['approve', '--env', 'production', '--gate', 'signoff', '--comment', 'LGTM'], {}, BOB)));
    outputs.push(JSON.stringify(await ok(r, ['deploy', 'production'])));

    const slack = hook.received.filter((x) => x.path.startsWith('/slack/'));
    const bodies = hook.received.filter((x) => x.path === `/hooks/${SECRET}`).map((x) => x.body as Record<string, unknown>);
    expect(bodies.map((b) => [b.event, b.env])).toEqual([['planned', undefined], ['deployed', 'staging'], ['gate_pending', 'production'], ['approved', 'production'], ['deployed', 'production']]);
    // The Slack target hears of production only.
    expect(slack.map((x) => (x.body as { text: string }).text)).toEqual(['payments-api 1.0.1 deployed to production by author@example.com']);
    expect(bodies[0]).toMatchObject({ schema: 'relmgr/notification/v1', project: 'payments-api', release: { version: '1.0.1', tag: 'v1.0.1', track: 'normal' }, actor: { email: 'author@example.com' } });
    expect(bodies[2]).toMatchObject({ env: 'production', gate: { id: 'signoff', where: 'environments.production.entry', who: ['bob@example.com', 'carol@example.com'], command: 'relmgr approve --env production --gate signoff --comment "…"' } });
    expect(bodies[3]).toMatchObject({ event: 'approved', env: 'production', actor: { email: 'bob@example.com' } });
    expect(bodies[4]).toMatchObject({ env: 'production', summary: 'payments-api 1.0.1 deployed to production by author@example.com' });
    for (const text of [...outputs, ledgerText(r)]) expect(text).not.toContain(SECRET);
    expect(events(r, 'notification.claimed').flatMap((e) => (e.data as { keys: string[] }).keys)).toHaveLength(6);
  });
});
