#!/usr/bin/env node
// Bump-accuracy benchmark: does `relmgr next` reproduce the bumps real projects released?
//
// HOW THE HISTORIES ARE MADE. This machine cannot reach GitHub, so the real git histories are
// not available. Instead each project's history is RECONSTRUCTED FROM THE CHANGELOG.md that its
// npm tarball ships (conventional-changelog format, written by standard-version, lerna,
// semantic-release, release-please, ...). For every release listed there we create one commit per
// changelog entry, `type(scope)!: subject` (type from the section: Features→feat, Bug Fixes→fix,
// Performance Improvements→perf, Reverts→revert, Code Refactoring→refactor, ...), with a
// `BREAKING CHANGE:` footer (and `!`) where the release has a BREAKING section, then a
// `chore(release): X` commit tagged vX. The oldest release is the base (`chore: init`).
// At each later release we check out the commit just before `chore(release)` and ask
// `relmgr next --json` and conventional-recommended-bump (conventionalcommits preset, plain, and
// with preMajor when < 1.0.0 as standard-version/commit-and-tag-version call it) for a bump, and
// compare with the bump actually released (semver diff from the previous tag).
//
// WHAT THIS APPROXIMATION MISSES. Commits the changelog hides (chore, docs, test, ci, style, most
// refactors, merge commits) are absent; so are commits the tool ignored (non-conventional
// messages) and anything edited out by hand. `Release-As:` footers and manual version choices
// are invisible (the changelog only shows their effect). Breaking notes without a hash are added
// as an extra `feat!` commit when they cannot be matched to a listed commit. Releases that list no
// commits (lerna "version bump only", release-please dependency-only bumps) are tagged but not
// scored; pre-releases are not tagged and their entries are folded into the next stable release;
// releases on maintenance branches (lower than one already seen) are dropped; a release point whose
// range spans a published version missing from the changelog (`npm view NAME versions`) is not scored.
//
// Usage:  npm install --prefix /tmp/acc conventional-recommended-bump \
//           conventional-changelog-conventionalcommits conventional-changelog-angular
//         node bench/accuracy/run.mjs [--json out.json]      (ACC_DIR overrides /tmp/acc)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';

const ACC = process.env.ACC_DIR ?? '/tmp/acc';
const RELMGR = fileURLToPath(new URL('../../bin/relmgr.js', import.meta.url));
const WORK = path.join(ACC, 'repos');
// Pinned versions: the newest ones that still ship a CHANGELOG.md (npm >= 9 stopped adding it).
const PACKAGES = [
  { spec: 'standard-version@9.5.0', tool: 'standard-version' },
  { spec: 'commit-and-tag-version@13.2.1', tool: 'commit-and-tag-version', since: '9.5.0' }, // fork of the above
  { spec: 'yargs-parser@22.0.0', tool: 'standard-version → release-please' },
  { spec: 'karma@6.4.4', tool: 'grunt-conventional-changelog → semantic-release' },
  { spec: 'gts@7.0.0', tool: 'release-please' },
  { spec: 'release-please@13.21.0', tool: 'release-please' },
  { spec: 'conventional-changelog@3.1.25', tool: 'conventional-changelog → lerna' },
  { spec: 'conventional-commits-parser@3.2.4', tool: 'conventional-changelog → lerna' },
  { spec: 'conventional-changelog-writer@5.0.1', tool: 'conventional-changelog → lerna' },
  { spec: 'conventional-recommended-bump@6.1.0', tool: 'conventional-changelog → lerna' },
  { spec: '@opentelemetry/auto-instrumentations-node@0.36.6', tool: 'release-please (monorepo)' },
  { spec: 'babel-preset-gatsby@0.12.3', tool: 'lerna --conventional-commits' },
];

const SECTION_TYPES = {
  features: 'feat', 'bug fixes': 'fix', 'performance improvements': 'perf', reverts: 'revert',
  'code refactoring': 'refactor', chores: 'chore', 'miscellaneous chores': 'chore', 'build system': 'build',
  tests: 'test', 'continuous integration': 'ci', documentation: 'docs', styles: 'style',
};
const VERSION_RE = /^#{1,4}\s+(?:<small>)?\[?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\]|\s|$)/;
const HASH_RE = /\[([0-9a-f]{7,40})\]\(/g;
const clean = (s) => s.replace(/,?\s*closes\s.*$/i, '').replace(/\s*\(\[[^\]]*\]\([^)]*\)\)/g, '').trim();
const norm = (s) => clean(s).replace(/\(#\d+\)/g, '').replace(/\W+/g, ' ').trim().toLowerCase();

/** CHANGELOG.md → [{ version, entries: [{type, scope, subject, hash}], notes: [{text, hash}] }], newest first. */
function parseChangelog(text) {
  const releases = [];
  let rel = null, section = null, group = null;
  for (const line of text.split(/\r?\n/)) {
    const v = VERSION_RE.exec(line);
    if (v) { rel = { version: v[1], entries: [], notes: [] }; releases.push(rel); section = group = null; continue; }
    if (!rel) continue;
    const h = /^#{1,4}\s+(.*?)\s*$/.exec(line);
    if (h) {
      const title = h[1].replace(/⚠\uFE0F?/gu, '').trim();
      section = /breaking/i.test(title) ? 'BREAKING' : SECTION_TYPES[title.toLowerCase()] ?? (/^[a-z]+$/.test(title) ? title : null);
      group = null;
      continue;
    }
    const b = /^(\s*)[*-]\s+(.*)$/.exec(line);
    if (section === 'BREAKING') {
      if (b && b[1] === '') rel.notes.push({ text: clean(b[2].replace(/^\*\*[^*]+:\*\*\s*/, '')), hash: [...b[2].matchAll(HASH_RE)].pop()?.[1] });
      else if (!b && line.trim() && rel.notes.length === 0) rel.notes.push({ text: line.trim(), hash: undefined });
      continue;
    }
    if (!section || !b) continue;
    if (b[1] !== '' && group === null) continue; // nested detail under an entry
    let body = b[2], scope = b[1] === '' ? null : group;
    if (b[1] === '') group = null;
    const s = /^\*\*([^*]+?):\*\*\s*(.*)$/.exec(body);
    if (s && b[1] === '') { scope = s[1]; body = s[2]; if (!body.trim()) { group = scope; continue; } }
    rel.entries.push({ type: section, scope, subject: clean(body) || 'change', hash: [...body.matchAll(HASH_RE)].pop()?.[1] });
  }
  return releases;
}

/** Newest-first releases → oldest-first stable releases; pre-release entries fold into the next stable. */
function linearize(releases, since) {
  const out = [];
  let carried = [], carriedNotes = [], prereleases = 0, backports = 0;
  for (const r of [...releases].reverse()) {
    if (!semver.valid(r.version)) continue;
    if (since && semver.lt(r.version, since)) continue;
    if (semver.prerelease(r.version)) { carried.push(...r.entries); carriedNotes.push(...r.notes); prereleases++; continue; }
    if (out.length && semver.lte(r.version, out[out.length - 1].version)) { backports++; continue; }
    out.push({ version: r.version, entries: [...carried, ...r.entries], notes: [...carriedNotes, ...r.notes] });
    carried = []; carriedNotes = [];
  }
  return { releases: out, prereleases, backports };
}

/** The commits of one release, breaking notes attached to their commit (or added as `feat!`). */
function releaseCommits(rel) {
  const commits = rel.entries.map((e) => ({ ...e, breaking: null }));
  for (const note of rel.notes) {
    const hit = commits.find((c) => !c.breaking && ((note.hash && c.hash === note.hash) || norm(c.subject) === norm(note.text)));
    if (hit) hit.breaking = note.text;
    else commits.push({ type: 'feat', scope: null, subject: note.text.split('\n')[0].slice(0, 90), breaking: note.text });
  }
  return commits.map((c) => {
    const header = `${c.type}${c.scope ? `(${c.scope})` : ''}${c.breaking ? '!' : ''}: ${c.subject.replace(/\s+/g, ' ')}`;
    return c.breaking ? `${header}\n\nBREAKING CHANGE: ${c.breaking.replace(/\s+/g, ' ')}\n` : `${header}\n`;
  });
}

function git(dir, args, input) {
  return execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
}

/** Writes the whole synthetic history with git fast-import; returns release points with the sha to check out. */
function buildRepo(dir, releases) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  let mark = 0, time = 1_500_000_000, stream = '';
  const commit = (msg) => {
    mark++; time += 60;
    stream += `commit refs/heads/main\nmark :${mark}\ncommitter Bench <bench@example.com> ${time} +0000\n`;
    stream += `data ${Buffer.byteLength(msg)}\n${msg}\n`;
    return mark;
  };
  const tag = (version, m) => { stream += `reset refs/tags/v${version}\nfrom :${m}\n\n`; };
  tag(releases[0].version, commit('chore: init\n'));
  const points = [];
  for (const rel of releases.slice(1)) {
    const msgs = releaseCommits(rel);
    let head = mark;
    for (const m of msgs) head = commit(m);
    if (msgs.length) points.push({ ...rel, mark: head, messages: msgs });
    tag(rel.version, commit(`chore(release): ${rel.version}\n`));
  }
  const marks = path.join(dir, '.git', 'bench-marks');
  git(dir, ['fast-import', '--quiet', `--export-marks=${marks}`], stream);
  const sha = new Map(fs.readFileSync(marks, 'utf8').trim().split('\n').map((l) => l.slice(1).split(' ')));
  git(dir, ['checkout', '-q', 'main']);
  return points.map((p) => ({ ...p, sha: sha.get(String(p.mark)) }));
}

function actualBump(from, to) {
  const d = semver.diff(from, to);
  return d === 'major' || d === 'minor' || d === 'patch' ? d : `?${d}`;
}

function runRelmgr(dir, tries = 3) {
  const r = spawnSync(process.execPath, [RELMGR, 'next', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', CI: 'true' } });
  if (r.status === 0) return JSON.parse(r.stdout);
  // dist/ may be mid-rebuild by a concurrent `npm run build`: retry before recording an error.
  if (tries > 1) { execFileSync('sleep', ['2']); return runRelmgr(dir, tries - 1); }
  console.error(`relmgr failed in ${dir}: ${r.stderr.trim().split('\n')[0]}`);
  return { bump: `error(${r.status})`, next: null };
}

/** Why the released bump differs from what the changelog's commit types say (for the report). */
function kind(r) {
  const feat = /\bfeat\b/.test(r.commits), fix = /\b(fix|perf|revert)\b/.test(r.commits);
  const phase = r.zero ? '0.x' : '≥1.0';
  if (r.actual === 'major' && r.zero) return '0.x → 1.0.0 (leaving 0.x)';
  if (r.breaking) return `${phase}: breaking change released as ${r.actual}`;
  if (r.actual === 'major') return `${phase}: major with no breaking change listed`;
  if (feat && r.actual === 'patch') return `${phase}: feature released as patch`;
  if (feat && r.actual === 'minor') return `${phase}: feature released as minor`;
  if (!feat && r.actual === 'minor') return `${phase}: minor with no feature listed`;
  if (!feat && !fix) return `${phase}: only non-bumping types listed`;
  return `${phase}: fix released as ${r.actual}`;
}

async function fetchChangelog(spec) {
  const dir = path.join(ACC, 'pkgs', spec.replace(/[/@]/g, '_'));
  if (!fs.existsSync(path.join(dir, 'package'))) {
    fs.mkdirSync(dir, { recursive: true });
    const file = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', path.join(dir, file), '-C', dir]);
  }
  const name = fs.readdirSync(path.join(dir, 'package')).find((f) => /^changelog(\.md)?$/i.test(f));
  if (!name) throw new Error(`${spec} ships no CHANGELOG.md`);
  const published = path.join(dir, 'versions.json'); // to spot versions the changelog skipped
  if (!fs.existsSync(published)) {
    const pkgName = spec.slice(0, spec.lastIndexOf('@'));
    fs.writeFileSync(published, execFileSync('npm', ['view', pkgName, 'versions', '--json'], { encoding: 'utf8' }));
  }
  return { text: fs.readFileSync(path.join(dir, 'package', name), 'utf8'), published: JSON.parse(fs.readFileSync(published, 'utf8')) };
}

function summary(messages) {
  const count = {};
  for (const m of messages) {
    const type = /^(\w+)/.exec(m)[1] + (m.includes('BREAKING CHANGE:') ? '!' : '');
    count[type] = (count[type] ?? 0) + 1;
  }
  return Object.entries(count).map(([t, n]) => (n > 1 ? `${t}×${n}` : t)).join(' ');
}

async function main() {
  const crbPath = path.join(ACC, 'node_modules', 'conventional-recommended-bump', 'dist', 'index.js');
  if (!fs.existsSync(crbPath)) {
    console.error(`missing ${crbPath}: npm install --prefix ${ACC} conventional-recommended-bump conventional-changelog-conventionalcommits conventional-changelog-angular`);
    process.exit(2);
  }
  const { Bumper } = await import(pathToFileURL(crbPath).href);
  const crb = async (dir, preMajor) => (await new Bumper(dir).loadPreset({ name: 'conventionalcommits', preMajor }).bump()).releaseType ?? 'none';
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--') && !a.endsWith('.json'));
  const results = [];
  for (const pkg of PACKAGES.filter((p) => only.length === 0 || only.some((o) => p.spec.includes(o)))) {
    const { text, published } = await fetchChangelog(pkg.spec);
    const { releases, prereleases, backports } = linearize(parseChangelog(text), pkg.since);
    const dir = path.join(WORK, pkg.spec.replace(/[/@]/g, '_'));
    const points = buildRepo(dir, releases);
    const rows = [];
    const versions = releases.map((r) => r.version);
    for (const p of points) {
      const prev = versions[versions.indexOf(p.version) - 1];
      git(dir, ['checkout', '-q', '--detach', p.sha]);
      const rm = runRelmgr(dir);
      const zero = semver.major(prev) === 0;
      rows.push({
        version: p.version, prev, actual: actualBump(prev, p.version), relmgr: rm.bump, relmgrNext: rm.next,
        crb: await crb(dir, false), crbPre: zero ? await crb(dir, true) : null, zero,
        gap: published.filter((v) => !semver.prerelease(v) && semver.gt(v, prev) && semver.lt(v, p.version)),
        breaking: p.messages.some((m) => m.includes('BREAKING CHANGE:')), commits: summary(p.messages),
      });
    }
    for (const r of rows) r.crbPre ??= r.crb;
    const gaps = rows.filter((r) => r.gap.length);
    results.push({ ...pkg, releases: releases.length, prereleases, backports, gaps, rows: rows.filter((r) => !r.gap.length) });
    console.error(`${pkg.spec}: ${rows.length} release points built`);
  }
  report(results);
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt > 0) fs.writeFileSync(process.argv[jsonAt + 1], JSON.stringify(results, null, 2));
}

function report(results) {
  const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '–');
  const count = (rows, key) => rows.filter((r) => r[key] === r.actual).length;
  const head = execFileSync('git', ['-C', path.dirname(RELMGR), 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
  console.log(`relmgr at ${head} (working tree, dist/ as built); crb = conventional-recommended-bump + conventionalcommits preset\n`);
  const lines = ['| package | tool | releases (tagged) | checked | relmgr | crb | crb+preMajor |', '|---|---|---:|---:|---:|---:|---:|'];
  const all = [];
  for (const p of results) {
    all.push(...p.rows);
    lines.push(`| ${p.spec} | ${p.tool} | ${p.releases} | ${p.rows.length} | ${count(p.rows, 'relmgr')} | ${count(p.rows, 'crb')} | ${count(p.rows, 'crbPre')} |`);
  }
  const line = (label, rows) => `| **${label}** | | | ${rows.length} | ${count(rows, 'relmgr')} (${pct(count(rows, 'relmgr'), rows.length)}) | ${count(rows, 'crb')} (${pct(count(rows, 'crb'), rows.length)}) | ${count(rows, 'crbPre')} (${pct(count(rows, 'crbPre'), rows.length)}) |`;
  lines.push(line('total', all), line('of which 0.x', all.filter((r) => r.zero)), line('of which ≥ 1.0', all.filter((r) => !r.zero)));
  console.log(lines.join('\n'));
  console.log(`\nrelmgr's exact next version equals the released one at ${all.filter((r) => r.relmgrNext === r.version).length} of ${all.length} points (a matching bump can still differ when a project skipped numbers).`);
  for (const p of results) {
    const bad = p.rows.filter((r) => r.relmgr !== r.actual || r.crb !== r.actual || r.crbPre !== r.actual);
    console.log(`\n### ${p.spec} — ${p.rows.length} checked, ${p.prereleases} pre-releases folded, ${p.backports} maintenance releases dropped`);
    for (const g of p.gaps) console.log(`not scored: ${g.prev} → ${g.version} (the changelog skips published ${g.gap.join(', ')}; tools said relmgr ${g.relmgr}, crb ${g.crb})`);
    if (!bad.length) { console.log('no mismatches'); continue; }
    console.log('| release | actual | relmgr | crb | crb+preMajor | commits in changelog | kind |\n|---|---|---|---|---|---|---|');
    const mark = (v, r) => (v === r.actual ? v : `**${v}**`);
    for (const r of bad) console.log(`| ${r.prev} → ${r.version} | ${r.actual} | ${mark(r.relmgr, r)} | ${mark(r.crb, r)} | ${mark(r.crbPre, r)} | ${r.commits} | ${kind(r)} |`);
  }
  const kinds = new Map();
  for (const r of all.filter((x) => x.relmgr !== x.actual || x.crb !== x.actual || x.crbPre !== x.actual)) {
    const k = kinds.get(kind(r)) ?? { n: 0, relmgr: 0, crb: 0, crbPre: 0 };
    k.n++; for (const t of ['relmgr', 'crb', 'crbPre']) if (r[t] !== r.actual) k[t]++;
    kinds.set(kind(r), k);
  }
  console.log('\n### Mismatches by kind (release points where at least one tool missed)\n| kind | points | relmgr missed | crb missed | crb+preMajor missed |\n|---|---:|---:|---:|---:|');
  for (const [k, v] of [...kinds].sort()) console.log(`| ${k} | ${v.n} | ${v.relmgr} | ${v.crb} | ${v.crbPre} |`);
  const zb = all.filter((r) => r.zero && r.breaking);
  console.log('\n### 0.x releases whose changelog lists a breaking change');
  console.log('| package | release | actual | relmgr | crb | crb+preMajor |\n|---|---|---|---|---|---|');
  for (const p of results) for (const r of p.rows.filter((x) => x.zero && x.breaking)) console.log(`| ${p.spec} | ${r.prev} → ${r.version} | ${r.actual} | ${r.relmgr} | ${r.crb} | ${r.crbPre} |`);
  console.log(`\n0.x breaking releases: ${zb.length}; released as minor: ${zb.filter((r) => r.actual === 'minor').length}; relmgr matched ${count(zb, 'relmgr')}, crb ${count(zb, 'crb')}, crb+preMajor ${count(zb, 'crbPre')}`);
}

await main();
