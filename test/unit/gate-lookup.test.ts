import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/core/config/schema.js';
import { parseConfig } from '../../src/core/config/load.js';
import { releaseGates, type GateAt } from '../../src/core/gates/address.js';
import type { GateStatus } from '../../src/core/gates/evaluate.js';
import { awaitingDecider, decideCommand, decisionsBy, findGate, findItem, pickAwaiting } from '../../src/core/gates/lookup.js';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { RelmgrError } from '../../src/errors.js';

const CONFIG = `schema: relmgr/v1
groups: { leads: [bob@example.com, carol@example.com, dave@example.com] }
phases:
  plan:
    exit:
      - checklist: { id: readiness, who: leads, items: [{ id: runbook, text: The runbook is up to date }, { id: backups, text: Backups were restored }] }
      - approval: { id: scope, rules: [{ from: leads }] }
  test:
    exit:
      - approval: { id: qa, rules: [{ from: [erin@example.com, bob@example.com] }] }
environments:
  staging:
    entry:
      - approval: { id: signoff, rules: [{ from: [bob@example.com, carol@example.com] }] }
  production:
    entry:
      - approval: { id: signoff, rules: [{ from: leads, min: 2 }] }
      - approval: { id: cab, rules: [{ from: [frank@example.com, gina@example.com] }] }
`;

const config = ((): Config => {
  const { config, problems } = parseConfig(CONFIG, 'r.yaml');
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return config as Config;
})();

const failure = (fn: () => unknown): { code: string; exit: number; message: string; details: string[]; hint: string | undefined } => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RelmgrError) return { code: error.code, exit: error.exitCode, message: error.message, details: error.details, hint: error.hint };
    throw error;
  }
  throw new Error('no error');
};

const initiator = { name: 'Alice', email: 'alice@example.com' };
const event = (type: LedgerEvent['type'], email: string, data: Record<string, unknown>): LedgerEvent => ({ v: 1, id: 'x', type, release: '1.1.0', at: '2026-11-29T10:00:00.000Z', actor: { name: email, email }, data });

describe('findGate', () => {
  it.each<[string, 'approval' | 'checklist', string, string | undefined, string]>([
    ["a phase's gate by its id", 'approval', 'scope', undefined, 'phases.plan.exit'],
    ["an environment's gate with --env", 'approval', 'signoff', 'production', 'environments.production.entry'],
    ['the same id in another environment', 'approval', 'signoff', 'staging', 'environments.staging.entry'],
    ["an environment's gate whose id is unique, without --env", 'approval', 'cab', undefined, 'environments.production.entry'],
    ['a checklist', 'checklist', 'readiness', undefined, 'phases.plan.exit'],
  ])('%s', (_name, kind, id, env, where) => {
    expect(findGate(config, kind, id, env).where).toBe(where);
  });

  it.each<[string, 'approval' | 'checklist', string, string | undefined, RegExp, string]>([
    ['an unknown environment lists the environments', 'approval', 'signoff', 'prod', /no environment "prod"/, 'environments: staging, production'],
    ['an id in two environments, without --env, lists both', 'approval', 'signoff', undefined, /names more than one approval gate/, 'relmgr approve --env production --gate signoff   (environments.production.entry)'],
    ['an unknown gate lists the approval gates as commands', 'approval', 'nope', undefined, /no approval gate "nope"/, 'relmgr approve --gate qa   (phases.test.exit)'],
    ["a phase's gate is not found under --env", 'approval', 'scope', 'production', /no approval gate "scope" of environment production/, 'relmgr approve --gate scope   (phases.plan.exit)'],
    ['an unknown checklist lists the checklists', 'checklist', 'nope', undefined, /no checklist "nope"/, 'relmgr attest --checklist readiness --item <item>   (phases.plan.exit)'],
  ])('%s: exit 2', (_name, kind, id, env, message, detail) => {
    const error = failure(() => findGate(config, kind, id, env));
    expect(error).toMatchObject({ code: 'E_UNKNOWN_GATE', exit: 2 });
    expect(error.message).toMatch(message);
    expect(error.details).toContain(detail);
    expect(error.hint).toMatch(/^relmgr (approve|attest) /);
  });
});

describe('findItem', () => {
  const readiness = findGate(config, 'checklist', 'readiness', undefined);
  it('finds an item, and lists the items with their text for an unknown one', () => {
    expect(findItem(readiness, 'backups')).toEqual({ id: 'backups', text: 'Backups were restored', required: true });
    const error = failure(() => findItem(readiness, 'nope'));
    expect(error).toMatchObject({ code: 'E_UNKNOWN_GATE', exit: 2, details: ['runbook: The runbook is up to date', 'backups: Backups were restored'], hint: 'relmgr attest --checklist readiness --item runbook' });
  });
});

describe('decisionsBy', () => {
  const signoff = findGate(config, 'approval', 'signoff', 'production');
  const readiness = findGate(config, 'checklist', 'readiness', undefined);
  const events = [
    event('approval.granted', 'Bob@Example.com', { where: 'environments.production.entry', gate: 'signoff' }),
    event('approval.granted', 'bob@example.com', { where: 'environments.staging.entry', gate: 'signoff' }),
    event('approval.rejected', 'carol@example.com', { where: 'environments.production.entry', gate: 'signoff' }),
    event('attestation.recorded', 'bob@example.com', { where: 'phases.plan.exit', checklist: 'readiness', item: 'runbook', answer: 'yes' }),
    event('gate.opened', 'bob@example.com', { where: 'environments.production.entry', gate: 'signoff' }),
  ];
  it.each<[string, GateAt, string, string | undefined, number[]]>([
    ["one person's decisions on one gate of one environment, emails in any case", signoff, 'bob@example.com', undefined, [0]],
    ['a rejection counts', signoff, 'carol@example.com', undefined, [2]],
    ["a checklist item's answers", readiness, 'bob@example.com', 'runbook', [3]],
    ['another item has none', readiness, 'bob@example.com', 'backups', []],
  ])('%s', (_name, at, email, item, indexes) => {
    expect(decisionsBy(events, at, email, item)).toEqual(indexes.map((i) => events[i]));
  });
});

describe('awaitingDecider and pickAwaiting', () => {
  const release = (gateEvents: LedgerEvent[] = []) => ({ initiator, track: 'normal', gateEvents });
  const pending = (): GateStatus => 'pending';

  it.each<[string, string, string | undefined, LedgerEvent[], (at: GateAt) => GateStatus, string]>([
    ['the only gate of an environment awaiting the person', 'frank@example.com', 'production', [], pending, 'environments.production.entry#cab'],
    ['the only gate the person may decide', 'erin@example.com', undefined, [], pending, 'phases.test.exit#qa'],
    ['the gates of --env only', 'carol@example.com', 'production', [], pending, 'environments.production.entry#signoff'],
    [
      'gates that passed are left out',
      'bob@example.com',
      undefined,
      [event('approval.granted', 'bob@example.com', { where: 'phases.plan.exit', gate: 'scope' }), event('approval.granted', 'bob@example.com', { where: 'phases.test.exit', gate: 'qa' })],
      (at) => (at.id === 'signoff' && at.env === 'staging' ? 'passed' : 'pending'),
      'environments.production.entry#signoff',
    ],
  ])('%s', (_name, email, env, events, status, key) => {
    expect(pickAwaiting(awaitingDecider(config, env, email, release(events), status), email, 'approve').key).toBe(key);
  });

  it('several: exit 2 listing them as full commands', () => {
    const error = failure(() => pickAwaiting(awaitingDecider(config, undefined, 'bob@example.com', release(), pending), 'bob@example.com', 'reject'));
    expect(error).toMatchObject({ code: 'E_UNKNOWN_GATE', exit: 2, hint: 'relmgr reject --gate scope' });
    expect(error.details).toEqual(['relmgr reject --gate scope', 'relmgr reject --gate qa']);
    const envs = failure(() => pickAwaiting(awaitingDecider(config, undefined, 'bob@example.com', release(), (at) => (at.env === null ? 'passed' : 'pending')), 'bob@example.com', 'reject'));
    expect(envs.details).toEqual(['relmgr reject --env staging --gate signoff', 'relmgr reject --env production --gate signoff']);
  });

  it("without --env, the phases' gates come first: an environment's gate is named with --env", () => {
    const phaseOnly = (at: GateAt): GateStatus => (at.id === 'qa' ? 'passed' : 'pending');
    expect(pickAwaiting(awaitingDecider(config, undefined, 'bob@example.com', release(), phaseOnly), 'bob@example.com', 'approve')).toMatchObject({ id: 'scope', env: null });
  });

  it('none: exit 3 naming who is eligible for each, or why it does not await the person', () => {
    const events = [event('approval.granted', 'frank@example.com', { where: 'environments.production.entry', gate: 'cab' })];
    const error = failure(() => pickAwaiting(awaitingDecider(config, 'production', 'frank@example.com', release(events), pending), 'frank@example.com', 'approve'));
    expect(error).toMatchObject({ code: 'E_NOTHING_TO_DECIDE', exit: 3, hint: 'relmgr status' });
    expect(error.details).toEqual(['signoff (environments.production.entry): eligible: bob@example.com, carol@example.com, dave@example.com', 'cab (environments.production.entry): you decided it already']);
    const rejected = failure(() => pickAwaiting(awaitingDecider(config, 'staging', 'bob@example.com', release(), () => 'rejected'), 'bob@example.com', 'approve'));
    expect(rejected.details).toEqual(['signoff (environments.staging.entry): it is rejected']);
  });

  it('a config without approval gates says so', () => {
    const { config: bare } = parseConfig('schema: relmgr/v1\n', 'r.yaml');
    const error = failure(() => pickAwaiting(awaitingDecider(bare as Config, undefined, 'bob@example.com', release(), pending), 'bob@example.com', 'approve'));
    expect(error).toMatchObject({ code: 'E_NOTHING_TO_DECIDE', exit: 3, message: 'the release config has no approval gates here to decide' });
  });

  it('names a gate the way people type it', () => {
    expect(releaseGates(config).map((at) => decideCommand(at))).toEqual([
      'relmgr attest --checklist readiness --item <item>',
      'relmgr approve --gate scope',
      'relmgr approve --gate qa',
      'relmgr approve --env staging --gate signoff',
      'relmgr approve --env production --gate signoff',
      'relmgr approve --env production --gate cab',
    ]);
  });
});

describe('a gate named with the command of the other kind', () => {
  it('says which command decides it', () => {
    const approve = failure(() => findGate(config, 'approval', 'readiness', undefined));
    expect(approve).toMatchObject({ code: 'E_UNKNOWN_GATE', exit: 2, hint: 'relmgr attest --checklist readiness --item <item>' });
    expect(approve.message).toBe('readiness is a checklist, not an approval gate: its items are attested');
    const attest = failure(() => findGate(config, 'checklist', 'scope', undefined));
    expect(attest).toMatchObject({ hint: 'relmgr approve --gate scope' });
  });
});
