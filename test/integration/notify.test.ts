import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { targetId } from '../../src/core/notify/owed.js';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';
import { deadPort, notifyConfig, startReceiver, type Receiver } from '../helpers/receiver.js';

const SECRET = 'T0KEN-path-9f8e7d';

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

  it('retries a 500 once (1 s backoff, through the injected sleep) and sends nothing twice', async () => {
    const hook = await receiver();
    hook.statuses.push(500);
    const r = project(notifyConfig(hook.url));
    const slept: number[] = [];
    const result = await ok(r, ['plan'], fakeSleep(slept));
    expect(hook.received.map((x) => (x.body as { event: string }).event)).toEqual(['planned', 'planned']);
    expect(slept).toEqual([1000]);
    expect(result.stderr).not.toMatch(/notify/);
    expect(events(r, 'notification.failed')).toEqual([]);
    await ok(r, ['status']);
    await ok(r, ['cut'], fakeSleep(slept));
    expect(hook.received).toHaveLength(2);
  });

  it('a receiver that is down: the same exit code and output but one warning, and notification.failed recorded', async () => {
    const port = await deadPort();
    const quiet = project(notifyConfig(`http://127.0.0.1:${port}`).replace(/notify:[\s\S]*$/, ''));
    const r = project(notifyConfig(`http://127.0.0.1:${port}`));
    const slept: number[] = [];
    const without = await ok(quiet, ['plan']);
    const result = await ok(r, ['plan'], fakeSleep(slept));
    const hashes = (text: string): string => text.replace(/\b[0-9a-f]{7}\b/g, '<hash>');
    expect(hashes(result.stdout)).toBe(hashes(without.stdout));
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([expect.stringContaining(`could not notify 127.0.0.1:${port} (127.0.0.1:${port}: connection refused, 3 attempts): payments-api 1.0.1 planned`)]);
    expect(hashes(result.stderr.replace(`${warnings[0] as string}\n`, ''))).toBe(hashes(without.stderr));
    expect(slept).toEqual([1000, 4000]);
    const failed = events(r, 'notification.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.data).toMatchObject({ error: `127.0.0.1:${port}: connection refused`, attempts: 3 });
    expect(JSON.stringify(failed)).not.toContain(SECRET);
  });

  it('targets on one host: each named by a hint that gives nothing away (its path’s last word, else its id); identical warnings merged', async () => {
    const port = await deadPort();
    const extra = ['a', 'c'].map((dir) => `  - { webhook: "http://127.0.0.1:${port}/${dir}/only", on: [planned] }`).join('\n');
    const r = project(notifyConfig(`http://127.0.0.1:${port}`, extra));
    const planned = await ok(r, ['plan'], fakeSleep([]));
    const host = `127.0.0.1:${port}`;
    const warnings = planned.stderr.split('\n').filter((l) => l.startsWith('warning: could not notify'));
    expect(warnings.sort()).toEqual([
      `warning: could not notify ${host} (target ${targetId({ webhook: `http://${host}/hooks/\${HOOK_PATH}`, format: 'json', on: ['planned'] })}) (${host}: connection refused, 3 attempts): payments-api 1.0.1 planned by author@example.com`,
      `warning: could not notify ${host} (…/only) (${host}: connection refused, 3 attempts): payments-api 1.0.1 planned by author@example.com (×2)`,
    ]);
    expect(planned.stderr).not.toContain(SECRET);
  });

  it('many targets down: no node warning about listeners, one warning per target, each error said once', async () => {
    const ports = await Promise.all([0, 1, 2, 3, 4, 5].map(() => deadPort()));
    const extra = ports.slice(1).map((p) => `  - { webhook: "http://127.0.0.1:${p}/x/\${HOOK_PATH}", on: [planned, gate_pending, approved, deployed] }`).join('\n');
    const r = project(notifyConfig(`http://127.0.0.1:${ports[0]}`, extra));
    const node: Error[] = [];
    const onWarning = (w: Error): void => void node.push(w);
    process.on('warning', onWarning);
    try {
      // Each backoff wait leaves a listener on the signal it is given (the worst a sleeper may do).
      const context: Partial<Context> = { sleep: async (_ms, signal) => void signal?.addEventListener('abort', () => undefined) };
      await ok(r, ['plan'], context);
      // Two events recorded while $HOOK_PATH is unset (skipped: nobody announces them), then a command that also catches up.
      for (const args of [['cut'], ['test'], ['deploy', 'staging']]) expect((await run(r, args, { env: {}, context })).code).toBe(0);
      expect((await run(r, ['deploy', 'production'], { env: {}, context })).code).toBe(10);
      const approved = await ok(r, ['approve', '--env', 'production', '--gate', 'signoff', '--comment', 'LGTM'], context, BOB);
      await new Promise((resolve) => setImmediate(resolve));
      expect(node.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      const warnings = approved.stderr.split('\n').filter((l) => l.startsWith('warning: could not notify'));
      expect(warnings, warnings.join('\n')).toHaveLength(6);
      const first = `127.0.0.1:${ports[1]}`;
      expect(warnings).toContain(`warning: could not notify ${first} (${first}: connection refused ×3, 3 attempts each): 3 notifications (the first: payments-api 1.0.1 deployed to staging by author@example.com)`);
      for (const line of warnings) expect(line.match(/connection refused/g)).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('hands off what is still being retried when the command ends, without waiting for it', async () => {
    const port = await deadPort();
    const r = project(notifyConfig(`http://127.0.0.1:${port}`));
    const spawned: { args: readonly string[]; log: string }[] = [];
    // Backoff waits that only end when the command stops waiting: the retries are still due at its end.
    const context: Partial<Context> = {
      sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve())),
      spawnDetached: async (args, log) => void spawned.push({ args, log }),
    };
    const result = await ok(r, ['plan'], context);
    expect(spawned).toHaveLength(1);
    const [, flag, spool] = spawned[0]?.args ?? [];
    expect(flag).toBe('--deliver');
    expect(spawned[0]?.log).toMatch(/\.relmgr\/logs\/notify\/.+\.log$/);
    const items = JSON.parse(readFileSync(spool as string, 'utf8')) as { items: { key: string; done: number }[] };
    expect(items.items).toEqual([expect.objectContaining({ done: 1 })]);
    expect(readFileSync(spool as string, 'utf8')).not.toContain(SECRET);
    expect(result.stderr).toMatch(/retrying in the background/);
    expect(events(r, 'notification.failed')).toEqual([]);
    // The background half: the receiver is still down, so it fails for good (recorded), the spool removed.
    const slept: number[] = [];
    const background = await ok(r, ['notify', '--deliver', spool as string], fakeSleep(slept));
    expect(background.stdout).toMatch(/failed .+: 127\.0\.0\.1:\d+: connection refused/);
    expect(slept).toEqual([1000, 4000]);
    expect(events(r, 'notification.failed').map((e) => e.data)).toEqual([expect.objectContaining({ key: items.items[0]?.key, attempts: 3 })]);
    expect(readdirSync(join(r.dir, '.relmgr', 'logs', 'notify')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('with -c <file>: the background delivery reads the same config (and repository), and its log says what it does', async () => {
    const port = await deadPort();
    const full = notifyConfig(`http://127.0.0.1:${port}`);
    // The repository's own config has no notify: section; the one given with -c has.
    const r = project(full.slice(0, full.indexOf('notify:')));
    const file = join(r.home, 'elsewhere.yaml');
    writeFileSync(file, full);
    const spawned: { args: readonly string[]; log: string }[] = [];
    const context: Partial<Context> = {
      sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve())),
      spawnDetached: async (args, log) => void spawned.push({ args, log }),
    };
    await ok(r, ['-c', file, 'plan'], context);
    const spool = spawned[0]?.args[2] as string;
    expect(JSON.parse(readFileSync(spool, 'utf8'))).toMatchObject({ root: r.dir, config: file });
    // Started as the notifier starts it: without -c, from another directory.
    const background = await run({ ...r, dir: r.home }, ['notify', '--deliver', spool], { env, context: fakeSleep([]) });
    expect(background.code, background.stderr).toBe(0);
    expect(background.stdout).toContain(`delivering 1 notification from ${spool} (config: ${file})`);
    expect(background.stdout).toMatch(/failed .+: 127\.0\.0\.1:\d+: connection refused/);
    expect(events(r, 'notification.failed')).toHaveLength(1);
    expect(existsSync(spool)).toBe(false);
  });

  it('the background delivery never ends silently: no notify: section, or a target gone, is said in its log', async () => {
    const port = await deadPort();
    const r = project(notifyConfig(`http://127.0.0.1:${port}`));
    const spawned: string[] = [];
    const context: Partial<Context> = {
      sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve())),
      spawnDetached: async (args) => void spawned.push(args[2] as string),
    };
    await ok(r, ['plan'], context);
    const spool = spawned[0] as string;
    const text = readFileSync(spool, 'utf8');
    // The spool names a config with no notify: section: kept, and the log says why nothing was sent.
    const bare = join(r.home, 'bare.yaml');
    writeFileSync(bare, notifyConfig('x').split('notify:')[0] as string);
    writeFileSync(spool, text.replace(/"config": ".*?"/, `"config": ${JSON.stringify(bare)}`));
    const none = await ok(r, ['notify', '--deliver', spool], fakeSleep([]));
    expect(none.stdout).toMatch(/nothing delivered: .*bare\.yaml has no notify: section \(the spool is kept/);
    expect(existsSync(spool)).toBe(true);
    // A target no longer in the config: named in the log.
    writeFileSync(spool, text.replace(/"target": "\w+"/, '"target": "0badc0de"'));
    const gone = await ok(r, ['notify', '--deliver', spool], fakeSleep([]));
    expect(gone.stdout).toMatch(/skipped .+: notify target 0badc0de is no longer in the release config/);
  });

  it('a command that recorded but did not notify: the next command (resume) sends it, once', async () => {
    const hook = await receiver();
    const r = project(notifyConfig(hook.url));
    await ok(r, ['plan']);
    await ok(r, ['cut']);
    await ok(r, ['test']);
    // $HOOK_PATH unset: the target is skipped (a warning naming the variable), nothing claimed.
    const deployed = await run(r, ['deploy', 'staging'], {});
    expect(deployed.code).toBe(0);
    expect(deployed.stderr).toContain('${HOOK_PATH} is not set');
    const heard = () => hook.received.map((x) => `${(x.body as { event: string }).event} ${(x.body as { env?: string }).env ?? ''}`.trim());
    expect(heard()).toEqual(['planned']);
    await run(r, ['resume'], { env });
    expect(heard()).toEqual(['planned', 'deployed staging']);
    await run(r, ['resume'], { env });
    await ok(r, ['notify']);
    expect(heard()).toEqual(['planned', 'deployed staging']);
  });

  it('a target added or edited hears only what happens from now on: nothing is replayed to it', async () => {
    const hook = await receiver();
    const added = await receiver();
    const r = project(notifyConfig(hook.url));
    for (const args of [['plan'], ['cut'], ['test'], ['deploy', 'staging']]) await ok(r, args);
    expect(hook.received).toHaveLength(2);
    // A Slack target and a command are added; the JSON target's path is edited (a new id).
    const marker = join(r.dir, 'ran.txt');
    const config = notifyConfig(hook.url, [`  - { webhook: "${added.url}/slack", format: slack, on: [planned, deployed] }`, `  - { run: "echo ran >> '${marker}'", on: [planned, deployed] }`].join('\n')).replace('/hooks/${HOOK_PATH}', '/hooks/v2/${HOOK_PATH}');
    writeFileSync(join(r.dir, 'release.config.yaml'), config);
    const spawned: string[][] = [];
    expect((await run(r, ['deploy', 'production'], { env, context: { spawnDetached: async (args) => void spawned.push([...args]) } })).code).toBe(10);
    await ok(r, ['notify']);
    // Only the new event (the gate now pending), to the targets that want it; the command is not started for old events.
    expect(hook.received.map((x) => [x.path.replace(SECRET, '<p>'), (x.body as { event: string }).event])).toEqual([
      ['/hooks/<p>', 'planned'],
      ['/hooks/<p>', 'deployed'],
      ['/hooks/v2/<p>', 'gate_pending'],
    ]);
    expect(added.received).toEqual([]);
    expect(spawned).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect((await ok(r, ['notify', '--dry-run'])).stdout).toMatch(/^Nothing to notify/);
  });

  it('notifications switched on for a project with history: nothing is replayed, what happens next is announced', async () => {
    const hook = await receiver();
    const config = notifyConfig(hook.url);
    const r = project(config.replace(/notify:[\s\S]*$/, ''));
    for (const args of [['plan'], ['cut'], ['test'], ['deploy', 'staging']]) await ok(r, args);
    writeFileSync(join(r.dir, 'release.config.yaml'), config);
    // What is true: nothing is owed, and nothing from before is replayed (not "every event was announced").
    const justOn = 'Nothing to notify: nothing is owed (events recorded before notifications were switched on are not replayed; what happens from now on is announced)\n';
    expect((await ok(r, ['notify', '--dry-run'])).stdout).toBe(justOn);
    expect((await ok(r, ['notify'])).stdout).toBe(justOn);
    expect((await run(r, ['deploy', 'production'], { env })).code).toBe(10);
    expect(hook.received.map((x) => (x.body as { event: string }).event)).toEqual(['gate_pending']);
    expect((await ok(r, ['notify', '--dry-run'])).stdout).toBe('Nothing to notify: every event since notifications were switched on was announced (earlier ones are not replayed)\n');
  });

  it('a webhook URL with user:password@ is sent with basic authentication; the password is nowhere', async () => {
    const hook = await receiver();
    const url = hook.url.replace('http://', 'http://deploy-bot:hunter2-s3cret@');
    const r = project(notifyConfig(hook.url).replace(/  - webhook: "[^"]*"\n    format: json\n    on: \[[^\]]*\]\n/, `  - webhook: "${url}/hooks/ci"\n    format: json\n    on: [planned]\n`));
    const planned = await ok(r, ['plan']);
    expect(hook.received.map((x) => [x.path, x.authorization])).toEqual([['/hooks/ci', `Basic ${Buffer.from('deploy-bot:hunter2-s3cret').toString('base64')}`]]);
    expect(JSON.stringify(planned) + ledgerText(r)).not.toContain('hunter2');
  });

  it('a release planned with --target is announced overdue once its target passes without production, once', async () => {
    const hook = await receiver();
    const r = project(notifyConfig(hook.url));
    const clock = (iso: string): Partial<Context> => ({ wallClock: { now: () => new Date(iso) } });
    await ok(r, ['plan', '--target', '2026-12-01T12:00'], clock('2026-12-01T10:00:00Z'));
    expect((await ok(r, ['notify'], clock('2026-12-01T11:59:00Z'))).stdout).toMatch(/^Nothing to notify/);
    await ok(r, ['notify'], clock('2026-12-01T13:00:00Z'));
    await ok(r, ['notify'], clock('2026-12-01T14:00:00Z'));
    const bodies = hook.received.map((x) => x.body as { event: string; summary: string });
    expect(bodies.map((b) => b.event)).toEqual(['planned', 'overdue']);
    expect(bodies[1]?.summary).toContain('payments-api 1.0.1 is overdue');
  });

  it('relmgr notify sends what is owed (and --dry-run lists it); a hanging command is stopped at its timeout', async () => {
    const hook = await receiver();
    const r = project(notifyConfig(hook.url, '  - { run: "sleep 30", timeout: 1s, on: [planned] }'));
    const spawned: string[][] = [];
    const plan = await ok(r, ['plan'], { spawnDetached: async (args) => void spawned.push([...args]) });
    expect(plan.code).toBe(0);
    // The command target is the background's: plan did not wait for it.
    expect(spawned).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
    // Recorded, but announced by nobody ($HOOK_PATH unset here, and the command does not want it).
    for (const args of [['cut'], ['test']]) await ok(r, args);
    expect((await run(r, ['deploy', 'staging'], {})).code).toBe(0);
    const dry = await ok(r, ['notify', '--dry-run']);
    expect(dry.stdout).toMatch(/^Would send deployed to 127\.0\.0\.1:\d+: payments-api 1\.0\.1 deployed to staging by author@example\.com\n$/);
    expect(dry.stdout).not.toContain(SECRET);
    expect(hook.received).toHaveLength(1);
    const sent = await ok(r, ['notify']);
    expect(sent.stdout).toMatch(/^Sent deployed to 127\.0\.0\.1:\d+: payments-api 1\.0\.1 deployed to staging/);
    expect(hook.received).toHaveLength(2);
    expect((await ok(r, ['notify'])).stdout).toMatch(/^Nothing to notify/);
    expect(hook.received).toHaveLength(2);
    // The hanging command, from its spool: stopped after its timeout, recorded as failed; the release goes on.
    const background = await ok(r, ['notify', '--deliver', spawned[0]?.[2] as string]);
    expect(background.stdout).toMatch(/failed .+: command "sleep" was stopped after 1s \(its timeout\)/);
    expect(events(r, 'notification.failed')).toHaveLength(1);
    await ok(r, ['status']);
  }, 30_000);

  it('a webhook that is not http(s): relmgr validate names it at file:line:col', async () => {
    const r = project(notifyConfig('ftp://files.example.com'));
    const result = await run(r, ['validate'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/release\.config\.yaml:\d+:\d+.*notify\[0\]\.webhook.*http:\/\/ or https:\/\/ URL \(this one is ftp:\)/);
    // As expanded from the environment: ${URL} that is a file: URL, and one that is unset.
    const expanded = project(notifyConfig('http://x').replace(/webhook: ".*"/, 'webhook: "${HOOK_URL}"'));
    const bad = await run(expanded, ['validate'], { env: { HOOK_URL: 'file:///etc/passwd-secret' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/release\.config\.yaml:\d+:\d+\s+notify\[0\]\.webhook\s+once expanded from the environment, a webhook must be an http:\/\/ or https:\/\/ URL \(this one is file:\)/);
    expect(bad.stderr).not.toContain('passwd-secret');
    const unset = await run(expanded, ['validate'], {});
    expect(unset.code).toBe(0);
    expect(unset.stderr).toMatch(/notify\[0\]\.webhook\s+warning: \$\{HOOK_URL\} is not set here/);
  });

  it('a dry run sends and records nothing; it says what it would send', async () => {
    const hook = await receiver();
    const r = project(notifyConfig(hook.url));
    const dry = await ok(r, ['plan', '--dry-run']);
    expect(dry.stderr).toMatch(/would notify 127\.0\.0\.1:\d+: payments-api 1\.0\.1 planned by author@example\.com/);
    expect(hook.received).toEqual([]);
    await ok(r, ['plan']);
    expect(hook.received).toHaveLength(1);
    expect(events(r, 'notification.claimed')).toHaveLength(1);
  });
});

