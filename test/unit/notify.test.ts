import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/core/config/schema.js';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { foldLedger } from '../../src/core/lifecycle/fold.js';
import { announce, overdue } from '../../src/core/notify/announce.js';
import { payload } from '../../src/core/notify/format.js';
import { owedNotifications, shortHash, targetId, targetsOf, wants } from '../../src/core/notify/owed.js';
import { expandWebhook, webhookHint, webhookHost, webhookSecrets, writtenWebhookProblem } from '../../src/core/notify/webhook.js';

const alice = { name: 'Alice', email: 'alice@example.com' };
const bob = { name: 'Bob', email: 'bob@example.com' };
const NOW = new Date('2026-11-30T12:00:00Z');
let n = 0;
function ev(type: LedgerEvent['type'], data: Record<string, unknown> = {}, extra: Partial<LedgerEvent> = {}): LedgerEvent {
  n += 1;
  return { v: 1, id: `e${String(n).padStart(7, '0')}`, type, release: '1.4.0', at: new Date(NOW.getTime() - 3600_000 + n).toISOString(), actor: alice, data, ...extra };
}

function config(notify: unknown[]): Config {
  return configSchema.parse({
    schema: 'relmgr/v1',
    groups: { 'release-managers': ['bob@example.com', 'carol@example.com'] },
    environments: {
      staging: {},
      production: { tier: 'production', entry: [{ approval: { id: 'signoff', rules: [{ from: 'release-managers', min: 1 }] } }, { checklist: { id: 'go-live', who: 'release-managers', items: [{ id: 'backups', text: 'backups restored' }] } }] },
    },
    notify,
  });
}

const planned = ev('release.planned', { tag: 'v1.4.0', track: 'normal', base: 'abc' });
const plan = { plan: planned.id };
const cfg = config([{ webhook: 'https://hooks.example.com/a', on: ['planned', 'gate_pending', 'approved', 'rejected', 'deployed', 'deploy_failed', 'rolled_back', 'closed', 'overdue'] }]);
const release = () => foldLedger([planned]).open!;

describe('which events announce what', () => {
  const table: [string, LedgerEvent, string | null, string | null][] = [
    ['planned', planned, 'planned', 'payments-api 1.4.0 planned by alice@example.com'],
    ['a pending approval', ev('gate.opened', { ...plan, where: 'environments.production.entry', gate: 'signoff' }, { env: 'production' }), 'gate_pending', 'payments-api 1.4.0 waits for approval signoff before production: bob@example.com, carol@example.com can decide with relmgr approve --env production --gate signoff --comment "…"'],
    ['a pending checklist', ev('gate.opened', { ...plan, where: 'environments.production.entry', gate: 'go-live' }), 'gate_pending', null],
    ['a gate nobody decides (a wait)', ev('gate.opened', { ...plan, where: 'phases.test.exit', gate: 'wait-1h' }), null, null],
    ['approved', { ...ev('approval.granted', { ...plan, where: 'environments.production.entry', gate: 'signoff' }, { env: 'production' }), actor: bob }, 'approved', 'payments-api 1.4.0: signoff (production) approved by bob@example.com'],
    ['rejected', { ...ev('approval.rejected', { ...plan, where: 'environments.production.entry', gate: 'signoff', comment: 'error budget spent' }), actor: bob }, 'rejected', 'payments-api 1.4.0: signoff (production) rejected by bob@example.com: error budget spent'],
    ['a checklist item answered no', ev('attestation.recorded', { ...plan, where: 'environments.production.entry', checklist: 'go-live', item: 'backups', answer: 'no' }), 'rejected', 'payments-api 1.4.0: alice@example.com answered no to backups of checklist go-live (production)'],
    ['a checklist item answered yes', ev('attestation.recorded', { ...plan, checklist: 'go-live', item: 'backups', answer: 'yes' }), null, null],
    ['gate.rejected (follows the rejection announced)', ev('gate.rejected', { ...plan, where: 'environments.production.entry', gate: 'signoff' }), null, null],
    ['deployed', ev('deploy.succeeded', { env: 'production', production: true, to: '1.4.0' }, { env: 'production' }), 'deployed', 'payments-api 1.4.0 deployed to production by alice@example.com'],
    ['deploy failed', ev('deploy.failed', { env: 'staging' }, { env: 'staging' }), 'deploy_failed', 'payments-api 1.4.0 failed to deploy to staging (run by alice@example.com)'],
    ['rolled back', ev('rollback.succeeded', { env: 'production', to: '1.3.2' }, { env: 'production' }), 'rolled_back', 'production rolled back from payments-api 1.4.0 to 1.3.2 by alice@example.com'],
    ['closed', ev('release.closed', { outcome: 'rolled_back' }), 'closed', 'payments-api 1.4.0 closed by alice@example.com (outcome: rolled back)'],
    ['a step', ev('step.succeeded', {}, { phase: 'build' }), null, null],
  ];
  it.each(table)('%s', (_, event, kind, summary) => {
    const found = announce(event, release(), cfg, 'payments-api');
    expect(found?.event ?? null).toBe(kind);
    if (summary !== null) expect(found?.summary).toBe(summary);
  });

  it('a gate approved before it was reached is not pending: not announced', () => {
    const approved = { ...ev('approval.granted', { ...plan, where: 'environments.production.entry', gate: 'signoff' }, { env: 'production' }), actor: bob };
    const opened = ev('gate.opened', { ...plan, where: 'environments.production.entry', gate: 'signoff' }, { env: 'production' });
    const view = foldLedger([planned, approved, opened]).open!;
    expect(announce(opened, view, cfg, 'payments-api')).toBeNull();
    // Approved only after it was reached: it was pending when it opened.
    const later = { ...approved, id: 'e9999999', at: new Date(Date.parse(opened.at) + 1000).toISOString() };
    expect(announce(opened, foldLedger([planned, opened, later]).open!, cfg, 'payments-api')?.event).toBe('gate_pending');
  });

  it('a pending checklist names who answers and the attest command', () => {
    const found = announce(table[2]![1], release(), cfg, 'payments-api');
    expect(found?.gate).toEqual({ id: 'go-live', where: 'environments.production.entry', who: ['bob@example.com', 'carol@example.com'], command: 'relmgr attest --env production --checklist go-live --item backups' });
  });
});

describe('filters, keys and the 24 hour horizon', () => {
  const deployedStaging = ev('deploy.succeeded', { env: 'staging' }, { env: 'staging' });
  const deployedProd = ev('deploy.succeeded', { env: 'production', production: true }, { env: 'production' });
  const closed = ev('release.closed', {});
  const targets = config([
    { webhook: 'https://hooks.example.com/all', on: ['deployed', 'closed'] },
    { webhook: 'https://hooks.example.com/prod', on: ['deployed', 'closed'], environments: ['production'] },
    { run: './page.sh', on: ['planned'] },
  ]);
  const [all, prod, page] = targetsOf(targets);

  it('environments: filters events that have one; release-wide ones always pass', () => {
    const a = (e: LedgerEvent) => announce(e, release(), targets, 'p')!;
    expect([deployedStaging, deployedProd, closed].map((e) => wants(prod!.spec, a(e)))).toEqual([false, true, true]);
    expect([deployedStaging, deployedProd, closed].map((e) => wants(all!.spec, a(e)))).toEqual([true, true, true]);
    expect(wants(page!.spec, a(closed))).toBe(false);
  });

  it('keys are <target id>:<event id> (overdue:<release>:<target id>), target ids stable hashes of the text as written', () => {
    expect(targetId({ webhook: 'https://hooks.example.com/all', format: 'json', on: ['deployed'] })).toBe(shortHash('webhook:https://hooks.example.com/all'));
    expect(shortHash('webhook:x')).toMatch(/^[0-9a-f]{8}$/);
    expect(shortHash('a')).toBe('e40c292c');
    const state = foldLedger([planned, deployedStaging, deployedProd]);
    const owed = owedNotifications({ config: targets, state, events: [planned, deployedStaging, deployedProd], claimed: new Set(), now: NOW, project: 'p' });
    expect(owed.map((o) => o.key)).toEqual([`${page!.id}:${planned.id}`, `${all!.id}:${deployedStaging.id}`, `${all!.id}:${deployedProd.id}`, `${prod!.id}:${deployedProd.id}`]);
    const claimed = new Set([`${all!.id}:${deployedStaging.id}`]);
    expect(owedNotifications({ config: targets, state, events: [deployedStaging], claimed, now: NOW, project: 'p' })).toEqual([]);
  });

  it('the catch-up replays an event only if no target claimed it, and only once notifications were on', () => {
    const state = foldLedger([planned, deployedStaging, deployedProd]);
    const events = [planned, deployedStaging, deployedProd];
    const on = new Date(NOW.getTime() - 2 * 3600_000).toISOString();
    const owed = (claimed: string[], catchUp: boolean, claimedSince: string | null = on) =>
      owedNotifications({ config: targets, state, events, claimed: new Set(claimed), now: NOW, project: 'p', catchUp, ...(claimedSince ? { claimedSince } : {}) }).map((o) => o.key);
    // `all` heard of the staging deploy; `prod` (new, or edited: a new id) has claimed nothing.
    const heard = [`${all!.id}:${deployedStaging.id}`];
    // This command's events go to every target that has not claimed them.
    expect(owed(heard, false)).toEqual([`${page!.id}:${planned.id}`, `${all!.id}:${deployedProd.id}`, `${prod!.id}:${deployedProd.id}`]);
    // The catch-up: the staging deploy was announced (to anyone): not replayed; the others nobody announced (a killed relmgr).
    expect(owed(heard, true)).toEqual([`${page!.id}:${planned.id}`, `${all!.id}:${deployedProd.id}`, `${prod!.id}:${deployedProd.id}`]);
    expect(owed([...heard, `${page!.id}:${planned.id}`, `${all!.id}:${deployedProd.id}`], true)).toEqual([]);
    // An overdue claim says nothing about events.
    expect(owed([`overdue:1.4.0:${prod!.id}`], true)).toHaveLength(4);
    // No claim at all: notifications were just switched on; nothing is replayed.
    expect(owed([], true, null)).toEqual([]);
    expect(owed([], false, null)).toHaveLength(4);
    // Switched on after the plan and the staging deploy: only the production deploy is replayed.
    expect(owed([], true, deployedProd.at)).toEqual([`${all!.id}:${deployedProd.id}`, `${prod!.id}:${deployedProd.id}`]);
  });

  it('the fold says since when notifications were on: the earliest claim', () => {
    const first = ev('notification.claimed', { keys: ['a:b'] });
    const second = ev('notification.claimed', { keys: ['c:d'] });
    expect(foldLedger([planned, second, first]).notifiedSince).toBe(first.at);
    expect(foldLedger([planned]).notifiedSince).toBeUndefined();
  });

  it('the catch-up still sends the overdue notice on a ledger without a claim', () => {
    const late = foldLedger([{ ...planned, data: { ...planned.data, target: '2026-11-28T09:00:00Z' } }]);
    const keys = owedNotifications({ config: cfg, state: late, events: [planned], claimed: new Set(), now: NOW, project: 'p', catchUp: true }).map((o) => o.key);
    expect(keys).toEqual([`overdue:1.4.0:${targetsOf(cfg)[0]!.id}`]);
  });

  it('never announces an event older than 24 hours', () => {
    const old = { ...deployedProd, id: 'old00001', at: new Date(NOW.getTime() - 24 * 3600_000 - 1).toISOString() };
    const state = foldLedger([planned, old]);
    expect(owedNotifications({ config: targets, state, events: [old], claimed: new Set(), now: NOW, project: 'p' })).toEqual([]);
  });

  it('claimed keys come from the fold, which keeps notification events out of every release', () => {
    const claim = ev('notification.claimed', { keys: ['a:b', 'c:d'] });
    const failed = ev('notification.failed', { key: 'a:b', error: 'x' });
    const state = foldLedger([planned, claim, failed]);
    expect([...(state.notified ?? [])]).toEqual(['a:b', 'c:d']);
    expect(state.open).toMatchObject({ state: 'planned', events: 1, gateEvents: [] });
  });
});

describe('overdue', () => {
  const target = (at: string) => foldLedger([{ ...planned, data: { ...planned.data, target: at } }]).open;
  it.each([
    ['past its target', '2026-11-28T09:00:00Z', 'payments-api 1.4.0 is overdue by 2 days: its target was Sat 28 Nov 2026 09:00 UTC and it is not in production (planned)'],
    ['due later', '2026-12-01T00:00:00Z', null],
    ['no target', 'not a date', null],
  ])('%s', (_, at, summary) => {
    expect(overdue(target(at), NOW, 'payments-api')?.summary ?? null).toBe(summary);
  });
  it('says the target in the calendar’s zone, as the calendar does (the planned notice its due date too)', () => {
    const berlin = { ...cfg, calendars: { ...cfg.calendars, timezone: 'Europe/Berlin' } };
    const state = foldLedger([{ ...planned, data: { ...planned.data, target: '2026-11-28T22:59:00Z' } }]);
    const [late] = owedNotifications({ config: berlin, state, events: [], claimed: new Set(), now: NOW, project: 'payments-api' });
    expect(late?.announcement.summary).toBe('payments-api 1.4.0 is overdue by 1 day: its target was Sat 28 Nov 2026 23:59 Europe/Berlin (22:59 UTC) and it is not in production (planned)');
    const due = announce({ ...planned, data: { ...planned.data, target: '2026-12-15T22:59:00Z' } }, release(), berlin, 'payments-api');
    expect(due?.summary).toBe('payments-api 1.4.0 planned by alice@example.com, due Tue 15 Dec 2026 23:59 Europe/Berlin (22:59 UTC)');
  });
  it('is keyed per release and target, whatever the time', () => {
    const state = foldLedger([{ ...planned, data: { ...planned.data, target: '2026-11-28T09:00:00Z' } }]);
    const [t] = targetsOf(cfg);
    const owed = owedNotifications({ config: cfg, state, events: [], claimed: new Set(), now: NOW, project: 'p' });
    expect(owed.map((o) => o.key)).toEqual([`overdue:1.4.0:${t!.id}`]);
  });
});

describe('payloads', () => {
  const a = announce(ev('gate.opened', { ...plan, where: 'environments.production.entry', gate: 'signoff' }), release(), cfg, 'payments-api')!;
  it('json: relmgr/notification/v1', () => {
    expect(JSON.parse(payload('json', a, 'payments-api', 'abcd1234'))).toEqual({
      schema: 'relmgr/notification/v1',
      event: 'gate_pending',
      project: 'payments-api',
      release: { version: '1.4.0', tag: 'v1.4.0', track: 'normal' },
      env: 'production',
      actor: alice,
      at: a.at,
      summary: a.summary,
      gate: { id: 'signoff', where: 'environments.production.entry', who: ['bob@example.com', 'carol@example.com'], command: 'relmgr approve --env production --gate signoff --comment "…"' },
      target: 'abcd1234',
    });
  });
  it('slack: an incoming-webhook message with text and blocks', () => {
    const body = JSON.parse(payload('slack', a, 'payments-api')) as { text: string; blocks: { type: string }[] };
    expect(body.text).toBe(a.summary);
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'context']);
    expect(JSON.stringify(body.blocks)).toContain('relmgr approve --env production --gate signoff');
  });
  it('teams: a Workflows message carrying an Adaptive Card 1.4', () => {
    const body = JSON.parse(payload('teams', a, 'payments-api')) as { type: string; attachments: { contentType: string; content: { type: string; version: string; body: { type: string; text?: string }[] } }[] };
    expect(body.type).toBe('message');
    expect(body.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0]?.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(body.attachments[0]?.content.body[0]).toEqual({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: a.summary, weight: 'Bolder', size: 'Medium' }] });
  });

  describe('text people wrote cannot ping, link or format', () => {
    const sneaky = { ...ev('approval.rejected', { ...plan, where: 'environments.production.entry', gate: 'signoff', comment: '<!channel> ship it & <https://evil.example|click> [click](https://evil) *now*' }), actor: { name: 'Eve', email: 'eve_[x](https://evil)@example.com' } };
    const b = announce(sneaky, release(), cfg, 'payments-api')!;
    it('slack: the top-level text is escaped exactly as the blocks', () => {
      const body = JSON.parse(payload('slack', b, 'payments-api')) as { text: string; blocks: { text?: { text: string } }[] };
      expect(body.text).toBe('payments-api 1.4.0: signoff (production) rejected by eve_[x](https://evil)@example.com: &lt;!channel&gt; ship it &amp; &lt;https://evil.example|click&gt; [click](https://evil) *now*');
      // The blocks carry people's text as plain_text (never mrkdwn): shown as written, nothing escaped, nothing read.
      expect(body.blocks[0]?.text).toEqual({ type: 'plain_text', text: b.summary, emoji: false });
      expect(JSON.stringify(body.text)).not.toMatch(/<!channel>|<https:/);
    });
    it('slack: mrkdwn formatting in a comment or a name (*bold*, _italic_, `code`, ~strike~) is never read', () => {
      const styled = { ...ev('approval.granted', { ...plan, where: 'environments.production.entry', gate: 'signoff', comment: '*now* _it_ `code` ~x~' }), actor: { name: 'Eve', email: '*eve*@example.com' } };
      const c = announce(styled, release(), cfg, 'payments-api')!;
      const body = JSON.parse(payload('slack', c, 'payments-api')) as { blocks: unknown[] };
      const mrkdwn: string[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (node === null || typeof node !== 'object') return;
        const o = node as Record<string, unknown>;
        if (o.type === 'mrkdwn') mrkdwn.push(String(o.text));
        Object.values(o).forEach(walk);
      };
      walk(body.blocks);
      expect(mrkdwn.join('\n')).not.toMatch(/now|eve|code/);
      expect(JSON.stringify(body.blocks)).toContain('*now* _it_ `code` ~x~');
      expect(JSON.stringify(body.blocks)).toContain('By\\n*eve*@example.com');
    });
    it('teams: the summary is a TextRun (never markdown); fact values are markdown-escaped', () => {
      const body = JSON.parse(payload('teams', b, 'payments-api')) as { attachments: { content: { body: [{ inlines: { text: string }[] }, { facts: { title: string; value: string }[] }] } }[] };
      const [head, factSet] = body.attachments[0]!.content.body;
      expect(head.inlines[0]?.text).toBe(b.summary);
      expect(factSet.facts.find((f) => f.title === 'By')?.value).toBe('eve\\_\\[x\\](https://evil)@example.com');
      expect(factSet.facts.map((f) => f.value).join('\n')).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    });
  });
});

describe('webhooks as written and as sent', () => {
  it.each([
    ['https://hooks.slack.com/services/${SLACK_WEBHOOK_PATH}', null],
    ['http://127.0.0.1:8080/hook', null],
    ['${WEBHOOK_URL}', null],
    ['ftp://files.example.com/x', 'a webhook must be an http:// or https:// URL (this one is ftp:)'],
    ['hooks.example.com/${X}', 'a webhook must be an http:// or https:// URL'],
    ['not a url', 'a webhook must be an http:// or https:// URL'],
  ])('%s', (written, problem) => expect(writtenWebhookProblem(written)).toBe(problem));

  it('expands ${VAR}; an unset one, or a result that is not http(s), is reported', () => {
    expect(expandWebhook('https://h.example.com/${A}/${B}', { A: 'x', B: 'y' })).toEqual({ ok: true, url: 'https://h.example.com/x/y' });
    expect(expandWebhook('https://h.example.com/${A}/${B}', { A: 'x' })).toEqual({ ok: false, missing: ['B'] });
    expect(expandWebhook('${URL}', { URL: 'file:///etc/passwd' })).toEqual({ ok: false, invalid: 'a webhook must be an http:// or https:// URL (this one is file:)' });
  });

  it('names a webhook by its host and masks the URL and its path', () => {
    expect(webhookHost('https://hooks.slack.com/services/T/B/x')).toBe('hooks.slack.com');
    expect(webhookSecrets('https://hooks.slack.com/services/T/B/x?y=1')).toEqual(['https://hooks.slack.com/services/T/B/x?y=1', '/services/T/B/x?y=1']);
  });

  describe('a hint at which webhook of a host it is, giving nothing away', () => {
    it.each([
      ['http://127.0.0.1:18711/hooks/only', '…/only'],
      ['https://prod-1.westeurope.logic.azure.com/workflows/0a1b2c3d4e5f/triggers/manual/paths/invoke?sig=s3cr3t', '…/invoke'],
      ['http://127.0.0.1:18711/only', null], // the whole path: it is masked
      ['http://127.0.0.1:18711/', null],
      ['https://hooks.slack.com/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX', null], // a token
      ['https://hooks.example.com/hooks/a1b2c3d4', null], // digits: a token
      ['https://hooks.example.com/${HOOK_PATH}/deploys', null], // written with a variable
      ['not a url', null],
    ])('%s', (written, hint) => expect(webhookHint(written)).toBe(hint));
  });
});
