// Synthetic ledger repositories for bench/run.mjs — the ledger budget ("`relmgr
// status` over 10,000 ledger events under 1 s").
//
// The repository is written by ONE `git fast-import` stream: a short `main` branch (relmgr needs a
// HEAD) and the orphan branch `relmgr/ledger` holding RELEASES × EVENTS_PER_RELEASE events, one
// JSON file per event at releases/<version>/<stamp>-<id>-<type>.json (src/core/lifecycle/events.ts
// `eventPath`), pretty-printed exactly as Ledger.append writes them, one ledger commit per
// session.record() call (so one commit per event), authored by the event's actor at its time.
//
// Each release looks like what relmgr plan / cut / test / abort record: release.planned (version,
// tag, track, bump, base, branch, previousVersion, previousTag, range, commits, reasons[]); the
// build phase (phase.started, step.started/succeeded with index/name/attempts/exitCode/timedOut/
// durationMs/logFile, effect.applied files/commit/tag[/push], phase.succeeded); the test phase,
// sometimes failing once (step.failed, phase.failed) and resumed (step.skipped "done before");
// a few releases are aborted after a failed test (release.abandoned). `at` is strictly increasing
// (millisecond precision), ids are 8 hex digits, unique. The newest release is open (not
// abandoned), tested after a failed-and-resumed test phase.
//
// Two repositories, cached in .bench/repos/ with a <name>.json beside each (written last):
//   ledger-<N>         as fast-import leaves it: every object in one pack.
//   ledger-<N>-loose   the same refs, every object loose. This is what a busy machine actually has:
//                      Ledger.append writes with plumbing (hash-object -w, write-tree, commit-tree),
//                      so each locally appended event leaves ~5 loose objects (blob, 3 trees,
//                      commit) until something runs `git gc` (`gc --auto` only runs from porcelain
//                      such as commit/merge/fetch, and only past gc.auto = 6,700 loose objects).
//                      Built from the packed one by `git unpack-objects` (a one-off ~50k-object
//                      write, hence cached).
// Everything is deterministic (seeded PRNG, fixed dates from 2021-01-04 UTC). Bump LEDGER_GENERATOR
// when the stream changes.

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastImport, git, rng } from './repos.mjs';

export const LEDGER_GENERATOR = 'v1';
export const RELEASES = 100;
export const EVENTS_PER_RELEASE = 100;

const START_MS = Date.UTC(2021, 0, 4, 9, 0, 0);
const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Linus Pauling', email: 'linus@example.com' },
];
const CI = { name: 'release-bot', email: 'release-bot@example.com' };
const ROOT_DIR = '/home/runner/work/app/app';
const BUILD_STEPS = ['npm ci', 'lint', 'typecheck', 'compile', 'bundle', 'generate docs', 'sbom', 'sign artifacts'];
const SUITES = ['core', 'cli', 'api', 'auth', 'billing', 'search', 'export', 'import', 'ui', 'webhooks', 'cache', 'queue'];
const KINDS = ['unit', 'integration', 'e2e', 'contract'];
const TYPES = ['feat', 'fix', 'perf', 'fix', 'feat', 'fix'];
const SCOPES = ['api', 'cli', 'core', 'config', 'git', 'ui', 'parser', 'auth', 'ledger'];
const SUBJECTS = ['handle empty pages', 'support pagination tokens', 'retry uploads with backoff', 'cache config loading',
  'avoid a crash in tag parsing', 'stream large exports', 'correct locale fallback', 'guard against empty webhooks'];

const pick = (r, list) => list[Math.floor(r() * list.length)];
const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

function bumped(version, bump) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

function logFileName(index, name) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/^-+|-+$/g, '');
  return `${String(index + 1).padStart(2, '0')}-${slug}.log`;
}

/**
 * One release's events (without ids and times): [{ type, phase?, data, actor, gap }] where gap is
 * the milliseconds since the previous event. `shape` fixes the random choices; `t` test steps.
 */
function releaseEvents(shape, t) {
  const { version, tag, planner, runner, build, push, failAt, abandon, r, planned } = shape;
  const out = [];
  const add = (type, phase, data, actor, gap) => out.push({ type, phase, data, actor, gap });
  add('release.planned', undefined, planned, planner, 0);
  const logDir = `${ROOT_DIR}/.relmgr/logs/${version}`;
  const step = (phase, index, name, ok, gap) => {
    add('step.started', phase, { index, name, attempt: 1 }, runner, 40 + (index * 7) % 200);
    const attempts = ok && (index * 13 + t) % 17 === 0 ? 2 : 1;
    add(ok ? 'step.succeeded' : 'step.failed', phase, {
      index, name, attempts, exitCode: ok ? 0 : 1, timedOut: false, durationMs: gap, logFile: `${logDir}/${logFileName(index, name)}`,
    }, runner, gap + 3);
  };
  // build (relmgr cut)
  const commit = shape.releaseCommit;
  add('phase.started', 'build', { resumed: false }, runner, shape.cutDelay);
  build.forEach((name, i) => step('build', i, name, true, shape.durations[i % shape.durations.length]));
  add('effect.applied', 'build', { kind: 'files', paths: ['CHANGELOG.md', 'package.json', 'package-lock.json'], created: [] }, runner, 25);
  add('effect.applied', 'build', { kind: 'commit', commit }, runner, 180);
  add('effect.applied', 'build', { kind: 'tag', tag, commit }, runner, 30);
  if (push) add('effect.applied', 'build', { kind: 'push', remote: 'origin' }, runner, 1400);
  add('phase.succeeded', 'build', { commit, tag, pushed: push }, runner, 20);
  // test (relmgr test), maybe failing once at failAt, then resumed or abandoned
  const names = Array.from({ length: t }, (_, i) => `${KINDS[i % KINDS.length]} tests: ${SUITES[(i * 5) % SUITES.length]} ${1 + Math.floor(i / SUITES.length)}`);
  const dur = (i) => shape.durations[(i + 3) % shape.durations.length];
  add('phase.started', 'test', { resumed: false }, runner, shape.testDelay);
  if (failAt !== null) {
    for (let i = 0; i < failAt; i++) step('test', i, names[i], true, dur(i));
    step('test', failAt, names[failAt], false, dur(failAt));
    add('phase.failed', 'test', { error: `step ${names[failAt]} failed (exit 1)`, step: failAt }, runner, 15);
    if (abandon) {
      add('release.abandoned', undefined, { reason: `flaky ${names[failAt]}; replanning after the fix`, state: 'failed' }, planner, 3_600_000 + Math.floor(r() * 7_200_000));
      return out;
    }
    add('phase.started', 'test', { resumed: true }, runner, 1_800_000 + Math.floor(r() * 3_600_000));
    for (let i = 0; i < failAt; i++) add('step.skipped', 'test', { index: i, name: names[i], reason: 'done before' }, runner, 12);
  }
  for (let i = failAt ?? 0; i < t; i++) step('test', i, names[i], true, dur(i));
  add('phase.succeeded', 'test', { steps: t }, runner, 20);
  return out;
}

/** The fast-import stream (one Buffer) and what relmgr should report about this ledger. */
export function generateLedgerStream(releases = RELEASES, perRelease = EVENTS_PER_RELEASE) {
  const r = rng(0x1ed6e5 ^ releases ^ (perRelease << 12));
  const out = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const ident = (a, ms) => `${a.name} <${a.email}> ${Math.floor(ms / 1000)} +0000`;

  // main: a few commits, so that HEAD exists (relmgr status reads no history).
  const mainStart = Math.floor(START_MS / 1000) - 86_400 * 30;
  for (let i = 1; i <= 5; i++) {
    out.push(`commit refs/heads/main\nauthor ${PEOPLE[0].name} <${PEOPLE[0].email}> ${mainStart + i * 3600} +0000\ncommitter ${PEOPLE[0].name} <${PEOPLE[0].email}> ${mainStart + i * 3600} +0000\n`);
    out.push(data(i === 1 ? 'chore: initial commit\n' : `feat: step ${i}\n`));
    out.push(`M 100644 inline README.md\n${data(`# app\n\nchange ${i}\n`)}`);
  }

  const ids = new Set();
  let now = START_MS;
  let version = null;
  let events = 0;
  let abandoned = 0;
  let ledgerCommits = 0;
  let open = null;
  for (let k = 0; k < releases; k++) {
    const last = k === releases - 1;
    const x = r();
    const bump = version === null ? 'minor' : x < 0.05 ? 'major' : x < 0.4 ? 'minor' : 'patch';
    const previousVersion = version;
    version = version === null ? '1.0.0' : bumped(version, bump);
    const tag = `v${version}`;
    const planner = pick(r, PEOPLE);
    const runner = r() < 0.7 ? CI : planner;
    const base = hex(r, 40);
    const nCommits = 5 + Math.floor(r() * 60);
    const reasons = Array.from({ length: Math.min(nCommits, 3 + Math.floor(r() * 20)) }, () => {
      const type = pick(r, TYPES);
      return { hash: hex(r, 7), type, scope: r() < 0.7 ? pick(r, SCOPES) : null, subject: pick(r, SUBJECTS), bump: type === 'feat' ? 'minor' : 'patch', breaking: false };
    });
    if (bump === 'major') Object.assign(reasons[0], { bump: 'major', breaking: true });
    const emergency = !last && r() < 0.04;
    const planned = {
      version, tag, track: emergency ? 'emergency' : 'normal', bump, base, branch: 'main',
      previousVersion, previousTag: previousVersion ? `v${previousVersion}` : null,
      range: `${previousVersion ? `v${previousVersion}..` : ''}${base.slice(0, 12)}`, commits: nCommits, reasons,
      ...(emergency ? { reason: 'customer-facing outage', incident: `INC-${100 + k}` } : {}),
    };
    const abandon = !last && r() < 0.06;
    const failing = last || abandon || r() < 0.2;
    const failFrac = 0.2 + r() * 0.6;
    const shape = {
      version, tag, planner, runner, r, planned, abandon,
      build: BUILD_STEPS.slice(0, 4 + Math.floor(r() * 5)),
      push: r() < 0.8,
      releaseCommit: hex(r, 40),
      durations: Array.from({ length: 11 }, () => 800 + Math.floor(r() * 170_000)),
      cutDelay: 600_000 + Math.floor(r() * 3_600_000),
      testDelay: 60_000 + Math.floor(r() * 600_000),
      failAt: null,
    };
    // Exactly perRelease events: solve for the number of test steps (and push, for parity).
    let list = null;
    search: for (const push of [shape.push, !shape.push]) {
      for (let t = 2; t <= 2 * perRelease; t++) {
        const around = Math.floor(failFrac * t);
        for (const failAt of failing ? [0, 1, -1, 2, -2].map((d) => around + d).filter((f) => f >= 0 && f < t) : [null]) {
          const candidate = releaseEvents({ ...shape, push, failAt }, t);
          if (candidate.length === perRelease) { list = candidate; break search; }
        }
      }
    }
    if (!list) throw new Error(`ledger generator: cannot make release ${version} exactly ${perRelease} events long`);
    // Releases start ~3.5 days apart, always after the previous one's last event.
    now = Math.max(now + 1, START_MS + k * 302_400_000 + Math.floor(r() * 36_000_000));
    for (const e of list) {
      now += Math.max(1, e.gap);
      let id;
      do id = hex(r, 8); while (ids.has(id));
      ids.add(id);
      const at = new Date(now).toISOString();
      const event = { v: 1, id, type: e.type, release: version, ...(e.phase ? { phase: e.phase } : {}), at, actor: e.actor, data: e.data };
      const path = `releases/${version}/${at.replace(/[-:]/g, '')}-${id}-${e.type}.json`;
      out.push(`commit refs/heads/relmgr/ledger\nauthor ${ident(e.actor, now)}\ncommitter ${ident(e.actor, now)}\n${data(`${e.type} ${version}`)}`);
      out.push(`M 100644 inline ${path}\n${data(`${JSON.stringify(event, null, 2)}\n`)}`);
      ledgerCommits++;
      events++;
    }
    if (abandon) abandoned++;
    if (last) {
      const test = list.filter((e) => e.phase === 'test' && e.type === 'phase.started').length;
      open = { version, tag, state: 'tested', testAttempts: test, lastAt: new Date(now).toISOString() };
    }
  }
  out.push('done\n');
  return { stream: Buffer.from(out.join('')), expected: { events, releases, abandoned, ledgerCommits, open } };
}

function configure(dir) {
  for (const [k, v] of [['user.name', 'Bench Author'], ['user.email', 'bench@example.com'], ['gc.auto', '0'], ['commit.gpgSign', 'false']]) git(dir, ['config', k, v]);
}

function countObjects(dir) {
  const out = git(dir, ['count-objects', '-v']);
  const get = (k) => Number(out.match(new RegExp(`^${k}: (\\d+)$`, 'm'))?.[1] ?? NaN);
  return { loose: get('count'), packed: get('in-pack'), packs: get('packs') };
}

function cached(root, name, key) {
  const metaFile = join(root, `${name}.json`);
  const dir = join(root, name);
  if (existsSync(metaFile) && existsSync(join(dir, '.git'))) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.key === key) return { name, dir, expected: meta.expected, objects: meta.objects, seconds: 0 };
  }
  rmSync(metaFile, { force: true });
  rmSync(dir, { recursive: true, force: true });
  return null;
}

function remember(root, name, key, expected, objects, started) {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  writeFileSync(join(root, `${name}.json`), `${JSON.stringify({ key, expected, objects, seconds }, null, 2)}\n`);
  return { name, dir: join(root, name), expected, objects, seconds };
}

/**
 * The packed and the loose ledger repositories:
 * [{ name, dir, variant: 'packed'|'loose', expected, objects: { loose, packed, packs }, seconds }].
 * seconds is 0 when the cached repository was reused.
 */
export async function ensureLedgerRepos(root, releases = RELEASES, perRelease = EVENTS_PER_RELEASE) {
  const total = releases * perRelease;
  const name = `ledger-${total}`;
  const key = `${LEDGER_GENERATOR}/${releases}x${perRelease}`;
  mkdirSync(root, { recursive: true });

  let packed = cached(root, name, key);
  if (!packed) {
    const started = process.hrtime.bigint();
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    git(dir, ['init', '--quiet', '--initial-branch=main']);
    configure(dir);
    const { stream, expected } = generateLedgerStream(releases, perRelease);
    await fastImport(dir, stream);
    git(dir, ['reset', '--quiet', '--hard', 'main']);
    packed = remember(root, name, key, expected, countObjects(dir), started);
  }

  const looseName = `${name}-loose`;
  let loose = cached(root, looseName, `${key}/loose`);
  if (!loose) {
    const started = process.hrtime.bigint();
    const dir = join(root, looseName);
    cpSync(packed.dir, dir, { recursive: true });
    const packDir = join(dir, '.git', 'objects', 'pack');
    const packs = readdirSync(packDir).filter((f) => f.endsWith('.pack')).map((f) => ({ f, data: readFileSync(join(packDir, f)) }));
    for (const f of readdirSync(packDir)) rmSync(join(packDir, f), { force: true });
    // unpack-objects writes every object of the pack as a loose object (none exists any more).
    for (const { data } of packs) git(dir, ['unpack-objects', '-q'], data);
    const objects = countObjects(dir);
    if (objects.packed !== 0 || objects.loose < packed.objects.packed) throw new Error(`loose ledger repo: unexpected object counts ${JSON.stringify(objects)}`);
    git(dir, ['fsck', '--connectivity-only', '--no-dangling']);
    loose = remember(root, looseName, `${key}/loose`, packed.expected, objects, started);
  }
  return [{ ...packed, variant: 'packed' }, { ...loose, variant: 'loose' }];
}
