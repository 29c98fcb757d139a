// A year of synthetic release history for `relmgr report` (test/e2e/report-oracle.test.ts and
// `npm run bench`): one `git fast-import` stream holding the commits and tags on main (hotfix
// branches for emergency releases) and the ledger branch `relmgr/ledger` (one JSON file per event,
// as Ledger.append writes them, all in one ledger commit), plus the generator's own records — what
// it meant to happen (every production deploy, whether it turned out bad, when it was restored, the
// commits each release shipped) — from which the test computes the expected figures by itself.
//
// Releases follow each other (each tested before the next is planned): ~60 % go out fine (some
// deployed twice with --redeploy), the others fail to deploy and are rolled back or resumed, are
// rolled back later, are replaced by an emergency release (a hotfix branch off their tag), or are
// abandoned after the cut (their commits ship with the next release, as do those of a release
// rolled back without ever succeeding in production). Deterministic (seeded PRNG).

import { eventPathOf, rng } from './report-rng.mjs';

export const REPORT_CONFIG = [
  'schema: relmgr/v1',
  'versioning: { branches: [main] }',
  'calendars: { timezone: Europe/Berlin }',
  'phases:',
  '  build: { steps: [ { name: compile, run: "true" } ] }',
  '  test: { steps: [ { name: unit, run: "true" } ] }',
  '  deploy: { order: [staging, production] }',
  'environments:',
  '  staging:',
  '    deploy: [ { name: ship, run: "true" } ]',
  '  production:',
  '    tier: production',
  '    entry: [ { approval: { id: signoff, rules: [ { from: [ada@example.com, grace@example.com, linus@example.com], min: 1 } ] } } ]',
  '    deploy: [ { name: ship, run: "true" } ]',
  '    rollback: [ { name: restore, run: "true" } ]',
  '',
].join('\n');

const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Linus Pauling', email: 'linus@example.com' },
];
const CI = { name: 'release-bot', email: 'release-bot@example.com' };
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Generates the history. Returns { stream, records, start, end, events }:
 * records.deploys: [{ version, env, at (ms), outcome: 'succeeded'|'failed', bad, restoredAt (ms|null) }] (production and staging),
 * records.releases: [{ version, track, plannedAt, target (ms|null), firstProduction (ms|null), commits: [seconds], abandoned }].
 */
export function generateReportHistory({ releases = 220, seed = 7, start = Date.UTC(2025, 0, 6, 8, 0, 0), newer = false } = {}) {
  const r = rng(seed);
  const chunks = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  const ids = new Set();
  const id = () => {
    for (;;) {
      const value = Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0');
      if (!ids.has(value)) return ids.add(value), value;
    }
  };
  const events = [];
  const event = (type, release, at, actor, extra = {}, data_ = {}) => {
    const e = { v: 1, id: id(), type, release, ...extra, at: new Date(at).toISOString(), actor, data: data_ };
    events.push(e);
    return e;
  };
  const commit = (ref, message, seconds, from) => {
    mark += 1;
    chunks.push(`commit ${ref}\nmark :${mark}\nauthor ${PEOPLE[0].name} <${PEOPLE[0].email}> ${seconds} +0000\ncommitter ${PEOPLE[1].name} <${PEOPLE[1].email}> ${seconds} +0000\n${data(message)}${from ? `from :${from}\n` : ''}M 100644 inline CHANGES\n${data(`${message}\n`)}`);
    return mark;
  };
  const tag = (name, from) => chunks.push(`reset refs/tags/${name}\nfrom :${from}\n\n`);

  const records = { deploys: [], releases: [] };
  let t = start;
  let main = commit('refs/heads/main', 'chore: initial commit', Math.floor((start - 30 * 24 * HOUR) / 1000));
  let minor = 0;
  // Commit times (s) not shipped yet: the initial commit ships with the first release, an abandoned release's with the next.
  let pending = [Math.floor((start - 30 * 24 * HOUR) / 1000)];
  let lastCommitAt = start - 24 * HOUR;
  let running = null; // the release production runs
  const deploy = (version, env, at, outcome, actor, phaseData = {}) => {
    event('phase.started', version, at - 2 * MIN, actor, { phase: 'deploy', env }, { resumed: false });
    event(outcome === 'succeeded' ? 'phase.succeeded' : 'phase.failed', version, at, actor, { phase: 'deploy', env }, outcome === 'succeeded' ? { env, production: env === 'production', ...phaseData } : { error: 'step ship failed (exit 1)', step: 0 });
    event(`deploy.${outcome}`, version, at, actor, { phase: 'deploy', env }, { env, production: env === 'production', ...(running && env === 'production' ? { from: running } : {}) });
    const record = { version, env, at, outcome, bad: outcome === 'failed', restoredAt: null };
    records.deploys.push(record);
    return record;
  };
  const rollback = (version, at, to) => {
    event('phase.started', version, at - 2 * MIN, CI, { phase: 'rollback', env: 'production' }, { from: version, to });
    event('phase.succeeded', version, at, CI, { phase: 'rollback', env: 'production' }, { env: 'production', production: true, from: version, to });
    event('rollback.succeeded', version, at, CI, { phase: 'rollback', env: 'production' }, { env: 'production', production: true, from: version, to });
  };
  const plan = (version, track, at, planner, target, previous) => {
    const data_ = { tag: `v${version}`, track, base: '0'.repeat(40), branch: 'main', previousVersion: previous, previousTag: previous ? `v${previous}` : null, ...(target !== null ? { target: new Date(target).toISOString() } : {}), ...(target !== null && r() < 0.5 ? { train: 'weekly' } : {}) };
    const e = event('release.planned', version, at, planner, {}, data_);
    return e.id;
  };
  // The steps of a phase, as relmgr records them (what a real ledger is mostly made of).
  const steps = (version, phase, at, names) =>
    names.forEach((name, index) => {
      event('step.started', version, at + index * 1000 + 1, CI, { phase }, { index, name, attempt: 1 });
      event('step.succeeded', version, at + index * 1000 + 900, CI, { phase }, { index, name, attempts: 1, exitCode: 0, timedOut: false, durationMs: 899 });
    });
  const cutAndTest = (version, at) => {
    event('phase.started', version, at, CI, { phase: 'build' }, { resumed: false });
    steps(version, 'build', at, ['npm ci', 'lint', 'compile', 'bundle']);
    event('phase.succeeded', version, at + 5 * MIN, CI, { phase: 'build' }, { tag: `v${version}` });
    event('phase.started', version, at + 10 * MIN, CI, { phase: 'test' }, { resumed: false });
    steps(version, 'test', at + 10 * MIN, ['unit', 'integration', 'e2e', 'contract', 'api', 'ui']);
    event('phase.succeeded', version, at + 30 * MIN, CI, { phase: 'test' }, { steps: 6 });
  };
  let previous = null;
  for (let k = 0; k < releases; k++) {
    const version = `1.${minor}.0`;
    minor += 1;
    const planner = PEOPLE[k % PEOPLE.length];
    const approver = PEOPLE[(k + 1) % PEOPLE.length];
    // The changes since the last release: 1–8 commits on main, between the last commit and the plan.
    const count = 1 + Math.floor(r() * 8);
    for (let c = 0; c < count; c++) {
      lastCommitAt += Math.floor(r() * ((t - lastCommitAt) / count));
      const seconds = Math.floor(lastCommitAt / 1000);
      main = commit('refs/heads/main', `feat: change ${k}.${c}`, seconds);
      pending.push(seconds);
    }
    lastCommitAt = t;
    const target = r() < 0.5 ? t + Math.floor((24 + r() * 48) * HOUR) : null;
    const planId = plan(version, 'normal', t, planner, target, previous);
    const cutAt = t + HOUR;
    main = commit('refs/heads/main', `chore(release): v${version}`, Math.floor(cutAt / 1000));
    tag(`v${version}`, main);
    const releaseCommit = main;
    cutAndTest(version, cutAt);
    const record = { version, track: 'normal', plannedAt: t, target, firstProduction: null, commits: [], abandoned: false };
    records.releases.push(record);
    const x = r();
    if (x < 0.04) {
      // abandoned after the cut: its commits ship with the next release
      event('release.abandoned', version, cutAt + 2 * HOUR, planner, {}, { reason: 'a blocker found in testing', state: 'tested' });
      record.abandoned = true;
      t = cutAt + Math.floor((20 + r() * 20) * HOUR);
      previous = version;
      continue;
    }
    record.commits = pending;
    pending = [];
    let at = cutAt + 2 * HOUR;
    deploy(version, 'staging', at, 'succeeded', CI);
    at += Math.floor((1 + r() * 30) * HOUR);
    event('approval.granted', version, at - 10 * MIN, approver, {}, { gate: 'signoff', where: 'production', plan: planId });
    const before = running;
    if (x < 0.16) {
      // the production deploy fails: rolled back, or resumed and then succeeds
      const failed = deploy(version, 'production', at, 'failed', CI);
      const later = at + Math.floor((10 + r() * 300) * MIN);
      if (r() < 0.5 && before !== null) {
        rollback(version, later, before);
        failed.restoredAt = later;
        at = later;
        // never in production: its commits ship with the next release that gets there
        pending = record.commits;
        record.commits = [];
      } else {
        deploy(version, 'production', later, 'succeeded', CI);
        failed.restoredAt = later;
        record.firstProduction = later;
        running = version;
        at = later;
      }
    } else {
      const ok = deploy(version, 'production', at, 'succeeded', CI);
      record.firstProduction = at;
      running = version;
      if (x < 0.26 && before !== null) {
        // rolled back later
        const later = at + Math.floor((30 + r() * 600) * MIN);
        rollback(version, later, before);
        ok.bad = true;
        ok.restoredAt = later;
        running = before;
        at = later;
      } else if (x < 0.36) {
        // replaced by an emergency release: a hotfix branch off its tag
        ok.bad = true;
        const hotfix = `1.${minor - 1}.1`;
        const plannedAt = at + Math.floor((1 + r() * 10) * HOUR);
        const fixSeconds = Math.floor((plannedAt - 20 * MIN) / 1000);
        const fix = commit(`refs/heads/hotfix/${hotfix}`, `fix: hotfix for ${version}`, fixSeconds, releaseCommit);
        const fixRelease = commit(`refs/heads/hotfix/${hotfix}`, `chore(release): v${hotfix}`, Math.floor((plannedAt + 5 * MIN) / 1000));
        tag(`v${hotfix}`, fixRelease);
        void fix;
        plan(hotfix, 'emergency', plannedAt, planner, null, version);
        cutAndTest(hotfix, plannedAt + 5 * MIN);
        const deployedAt = plannedAt + HOUR;
        deploy(hotfix, 'production', deployedAt, 'succeeded', CI);
        ok.restoredAt = deployedAt;
        records.releases.push({ version: hotfix, track: 'emergency', plannedAt, target: null, firstProduction: deployedAt, commits: [fixSeconds], abandoned: false });
        event('release.closed', hotfix, deployedAt + 3 * HOUR, planner, {}, { note: 'hotfix', outcome: 'deployed' });
        running = hotfix;
        at = deployedAt;
      } else if (x < 0.42) {
        // deployed again (--redeploy): both count
        at += Math.floor((1 + r() * 5) * HOUR);
        deploy(version, 'production', at, 'succeeded', CI);
      }
    }
    event('release.closed', version, at + 2 * HOUR, planner, {}, { note: 'done', outcome: running === version || running === null ? 'deployed' : before === running ? 'rolled_back' : 'deployed' });
    previous = version;
    t = at + Math.floor((3 + r() * 20) * HOUR);
  }
  // The ledger: every event in one commit on relmgr/ledger.
  chunks.push(`commit refs/heads/relmgr/ledger\nauthor ${CI.name} <${CI.email}> ${Math.floor(t / 1000)} +0000\ncommitter ${CI.name} <${CI.email}> ${Math.floor(t / 1000)} +0000\n${data(`${events.length} events`)}`);
  for (const e of events) chunks.push(`M 100644 inline ${eventPathOf(e)}\n${data(`${JSON.stringify(e, null, 2)}\n`)}`);
  // An event written by a newer relmgr (format 2): read by nothing, named in the report's notes.
  if (newer) chunks.push(`M 100644 inline releases/9.9.9/20250101T000000.000Z-feedf00d-release.planned.json\n${data(`${JSON.stringify({ v: 2, id: 'feedf00d', type: 'release.planned', release: '9.9.9', at: '2025-01-01T00:00:00.000Z' })}\n`)}`);
  chunks.push('\ndone\n');
  return { stream: chunks.join(''), records, start, end: t, events: events.length };
}
