// relmgr speed benchmark: the start-up and history budgets.   Run: npm run bench
//
// Builds synthetic repositories (bench/repos.mjs: one `git fast-import` stream each, cached in
// .bench/repos/) of 1k, 10k and 100k conventional commits, plus "-tail" variants with 1,000
// commits after the last tag, and lines70/lines1500 (5,000 commits with one 70- or 1,500-character
// body line each: `changelog --all` must cost no more per byte on long lines), then measures, in
// the same run:
//   floors   `node -e 0`; the bare `git log --format=…` of the unreleased range (<lasttag>..HEAD)
//            and of the whole history (HEAD)
//   relmgr   `relmgr --version`; `relmgr next` (-tail repos); `relmgr changelog --all` (all repos)
// Each command runs --runs times (default 15, the first discarded as warm-up), interleaved round
// by round so that background load hits every command alike. Commands are spawned directly (no
// shell), stdout to /dev/null; wall time with process.hrtime.bigint around the spawn; peak RSS
// from `/usr/bin/time -f %M` (the largest single process: relmgr's node, or a git it waited for)
// — "n/a" without it. The table gives the median, the interquartile range and the highest peak.
// Budgets are ratios against the floors, never absolute times — except the ledger's.
//
// Before measuring, each repository is checked once: `relmgr next` must print the version the
// generator computed, `changelog --all` one section per tag with the expected number of entries.
//
// The ledger part (bench/ledger.mjs) builds a repository whose `relmgr/ledger` branch holds 10,000
// events (100 releases × 100), once packed (as fast-import or a fetch leaves it) and once with every
// object loose (as locally appended events stay until `git gc`), and measures there:
//   floors   `git ls-tree -r` of the ledger tip and `git cat-file --batch` of its 10,000 blobs —
//            the two git calls Ledger.read makes, bare
//   relmgr   `relmgr status`, `relmgr status --json`, `relmgr ledger log --json`
// Its budget is absolute: `relmgr status` over 10,000 events under 1 s,
// for each of packed and loose. Before measuring, `relmgr status` must exit 0 and name the open
// release, `status --json` give its state, `ledger log --json` list every event — else the bench
// stops (exit 1): timing a command that fails would measure nothing.
//
// The report part (bench/report.mjs) builds a year of synthetic release history (220 releases,
// ~7,700 ledger events, failures, rollbacks, emergencies) and measures `relmgr report` and
// `relmgr report --json` over the whole year. Its budget is absolute: `relmgr report` under 1 s.
// Before measuring, `report --json` must list every release and count every production deploy.
//
// Options: --runs N   --sizes 1000,10000   --only commits|ledger|report (default: all)
// --ledger-runs N (rounds the ledger commands take part in; default --runs with --only ledger,
// else min(--runs, 8): they take ~1 s each)   --check (exit 1 when a budget fails or relmgr's
// output is wrong; without it the exit code is always 0)

import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLedgerRepos } from './ledger.mjs';
import { ensureReportRepo } from './report.mjs';
import { LINES_SIZE, LINE_LENGTHS, TAIL, ensureRepo } from './repos.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
// relmgr runs from a copy of the build in .bench/snapshot/, so that a concurrent `npm run build`
// (which replaces dist/'s hashed chunks) cannot break a run half-way. Its dependencies still
// resolve from ./node_modules; package.json, templates/ and schema/ come along.
const SNAPSHOT = join(ROOT, '.bench', 'snapshot');
const BIN = join(SNAPSHOT, 'bin', 'relmgr.js');
const NODE = process.execPath;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const LOG_ARGS = ['-z', '--format=%m%n%H%n%P%n%an%n%ae%n%aI%n%B'];

function parseArgs(argv) {
  const opts = { runs: 15, sizes: [1000, 10000, 100000], check: false, only: null, ledgerRuns: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--runs') opts.runs = Number(value());
    else if (a === '--sizes') opts.sizes = value().split(',').map(Number);
    else if (a === '--check') opts.check = true;
    else if (a === '--only') opts.only = value();
    else if (a === '--ledger-runs') opts.ledgerRuns = Number(value());
    else fail(`unknown option ${a} (use --runs N, --sizes 1000,10000, --only commits|ledger|report, --ledger-runs N, --check)`);
  }
  if (opts.only !== null && !['commits', 'ledger', 'report'].includes(opts.only)) fail('--only must be commits, ledger or report');
  opts.commits = opts.only === null || opts.only === 'commits';
  opts.ledger = opts.only === null || opts.only === 'ledger';
  opts.report = opts.only === null || opts.only === 'report';
  opts.ledgerRuns ??= opts.only === 'ledger' || opts.only === 'report' ? opts.runs : Math.min(opts.runs, 8);
  if (!Number.isInteger(opts.ledgerRuns) || opts.ledgerRuns < 2) fail('--ledger-runs must be an integer ≥ 2 (the first run is a warm-up)');
  if (!Number.isInteger(opts.runs) || opts.runs < 2) fail('--runs must be an integer ≥ 2 (the first run is a warm-up)');
  if (opts.sizes.some((s) => !Number.isInteger(s) || s < 1)) fail('--sizes must be positive integers');
  opts.sizes.sort((a, b) => a - b);
  return opts;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

// Child environment: nothing that redirects git or makes relmgr write CI outputs.
const ENV = { ...process.env };
for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV']) delete ENV[k];

const devNull = openSync('/dev/null', 'w');
const scratch = mkdtempSync(join(tmpdir(), 'relmgr-bench-'));
const rssFile = join(scratch, 'rss');

/** One run: { ms, mb, status, stderr }. */
function runOnce(job) {
  const [file, args] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, job.cmd, ...job.args]] : [job.cmd, job.args];
  const t0 = process.hrtime.bigint();
  const res = spawnSync(file, args, { cwd: job.cwd, env: ENV, input: job.input, stdio: [job.input === undefined ? 'ignore' : 'pipe', devNull, 'pipe'], maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let mb = null;
  if (TIME) {
    const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop();
    mb = Number(last) / 1024;
  }
  return { ms, mb, status: res.status, stderr: String(res.stderr ?? res.error ?? '') };
}

/** Captures stdout of one relmgr run, for the correctness checks. */
function capture(cwd, args) {
  const res = spawnSync(NODE, [BIN, ...args], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 256 << 20 });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.ceil(pos)] - sorted[lo]) * (pos - lo);
}

/** Correctness of relmgr's output on one repository; returns a list of problems. */
function verify(repo) {
  const e = repo.expected;
  const problems = [];
  const cl = capture(repo.dir, ['changelog', '--all']);
  const sections = cl.stdout.split('\n').filter((l) => l.startsWith('## '));
  const bullets = cl.stdout.split('\n').filter((l) => l.startsWith('* ')).length;
  if (cl.status !== 0) problems.push(`changelog --all exited ${cl.status}: ${cl.stderr.trim()}`);
  if (sections.length !== e.tags) problems.push(`changelog --all: ${sections.length} sections, expected ${e.tags}`);
  if (!(sections[0] ?? '').startsWith(`## ${e.lastTag.slice(1)} `)) problems.push(`changelog --all: first section "${sections[0]}", expected ${e.lastTag.slice(1)}`);
  if (bullets !== e.changelogLines) problems.push(`changelog --all: ${bullets} entries, expected ${e.changelogLines}`);
  const nx = capture(repo.dir, ['next', '--json']);
  let data = null;
  try { data = JSON.parse(nx.stdout); } catch { problems.push(`next --json: not JSON (exit ${nx.status}): ${nx.stdout.slice(0, 200)} ${nx.stderr.trim()}`); }
  if (data) {
    if (data.next !== e.next) problems.push(`next: ${data.next}, expected ${e.next}`);
    if (data.commits !== e.unreleased) problems.push(`next: ${data.commits} commits, expected ${e.unreleased}`);
    if (e.next !== null && data.previousTag !== e.lastTag) problems.push(`next: previousTag ${data.previousTag}, expected ${e.lastTag}`);
  }
  const plain = capture(repo.dir, ['next']);
  if (plain.status !== 0 || plain.stdout.trim() !== (e.next ?? '')) problems.push(`next: printed "${plain.stdout.trim()}" (exit ${plain.status}), expected "${e.next ?? ''}"`);
  return problems;
}

/** Does relmgr work on a ledger repository at all? Returns a list of problems (empty: it does). */
function verifyLedger(repo) {
  const { open, events } = repo.expected;
  const problems = [];
  const st = capture(repo.dir, ['status']);
  const first = st.stdout.split('\n')[0] ?? '';
  if (st.status !== 0) problems.push(`status exited ${st.status}: ${st.stderr.trim().slice(0, 500)}`);
  if (!first.startsWith(`${open.version} (${open.tag}): ${open.state}`)) problems.push(`status: first line "${first}", expected "${open.version} (${open.tag}): ${open.state}, …"`);
  const js = capture(repo.dir, ['status', '--json']);
  let data = null;
  try { data = JSON.parse(js.stdout); } catch { problems.push(`status --json: not JSON (exit ${js.status}): ${js.stdout.slice(0, 200)} ${js.stderr.trim().slice(0, 300)}`); }
  if (data && (data.version !== open.version || data.state !== open.state || data.phases?.test?.attempts !== open.testAttempts)) {
    problems.push(`status --json: ${data.version} ${data.state}, ${data.phases?.test?.attempts} test attempts; expected ${open.version} ${open.state}, ${open.testAttempts}`);
  }
  const lg = capture(repo.dir, ['ledger', 'log', '--json']);
  let log = null;
  try { log = JSON.parse(lg.stdout); } catch { problems.push(`ledger log --json: not JSON (exit ${lg.status}): ${lg.stderr.trim().slice(0, 300)}`); }
  if (log && (log.length !== events || log.at(-1)?.at !== open.lastAt)) problems.push(`ledger log --json: ${log.length} events ending ${log.at(-1)?.at}, expected ${events} ending ${open.lastAt}`);
  return problems;
}

/** Does `relmgr report --json` see the whole year? Returns a list of problems (empty: it does). */
function verifyReport(repo) {
  const res = capture(repo.dir, ['report', '--json', '--from', repo.expected.from, '--to', repo.expected.to]);
  let doc = null;
  try { doc = JSON.parse(res.stdout); } catch { return [`report --json: not JSON (exit ${res.status}): ${res.stderr.trim().slice(0, 300)}`]; }
  const problems = [];
  if (doc.releases.length !== repo.expected.releases) problems.push(`report --json: ${doc.releases.length} releases, expected ${repo.expected.releases}`);
  if (doc.productionDeploys !== repo.expected.productionDeploys) problems.push(`report --json: ${doc.productionDeploys} production deploys, expected ${repo.expected.productionDeploys}`);
  return problems;
}

/** The blob ids of the ledger tip, one a line: the stdin Ledger.read gives `git cat-file --batch`. */
function ledgerBlobs(dir) {
  const res = spawnSync('git', ['ls-tree', '-r', '-z', '--full-tree', 'refs/heads/relmgr/ledger'], { cwd: dir, env: ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) fail(`git ls-tree failed in ${dir}: ${res.stderr}`);
  const blobs = res.stdout.split('\0').filter((r) => r.endsWith('.json')).map((r) => r.split(' ')[2].split('\t')[0]);
  return `${[...new Set(blobs)].join('\n')}\n`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cacheRoot = join(ROOT, '.bench', 'repos');
  console.log(`# relmgr bench — node ${process.version}, ${gitVersion()}, ${cpus().length} cpus, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

  rmSync(SNAPSHOT, { recursive: true, force: true });
  for (const part of ['package.json', 'bin', 'dist', 'templates', 'schema']) {
    if (existsSync(join(ROOT, part))) cpSync(join(ROOT, part), join(SNAPSHOT, part), { recursive: true });
  }

  // 1. Repositories.
  const repos = [];
  let genSeconds = 0;
  for (const size of opts.commits ? opts.sizes : []) {
    for (const tail of [0, TAIL]) {
      const repo = await ensureRepo(cacheRoot, size, tail);
      console.log(repo.seconds ? `generated ${repo.name}: ${repo.expected.commits} commits, ${repo.expected.tags} tags in ${repo.seconds.toFixed(2)} s` : `reused    ${repo.name} (cached)`);
      genSeconds += repo.seconds;
      repos.push({ ...repo, size, tail });
    }
  }
  for (const line of opts.commits ? LINE_LENGTHS : []) {
    const repo = await ensureRepo(cacheRoot, LINES_SIZE, 0, line);
    console.log(repo.seconds ? `generated ${repo.name}: ${repo.expected.commits} commits with one ${line}-character body line each in ${repo.seconds.toFixed(2)} s` : `reused    ${repo.name} (cached)`);
    genSeconds += repo.seconds;
    repos.push({ ...repo, size: repo.name, tail: 0, line });
  }
  const ledgers = opts.ledger ? await ensureLedgerRepos(cacheRoot) : [];
  for (const repo of ledgers) {
    const what = `${repo.expected.events} events, ${repo.expected.releases} releases (${repo.objects.packed} objects packed, ${repo.objects.loose} loose)`;
    console.log(repo.seconds ? `generated ${repo.name}: ${what} in ${repo.seconds.toFixed(2)} s` : `reused    ${repo.name}: ${what} (cached)`);
    genSeconds += repo.seconds;
  }
  const report = opts.report ? await ensureReportRepo(cacheRoot) : null;
  if (report) {
    const what = `${report.expected.releases} releases, ${report.expected.events} events, ${report.expected.productionDeploys} production deploys`;
    console.log(report.seconds ? `generated ${report.name}: ${what} in ${report.seconds.toFixed(2)} s` : `reused    ${report.name}: ${what} (cached)`);
    genSeconds += report.seconds;
  }
  if (genSeconds) console.log(`generation: ${genSeconds.toFixed(2)} s in all`);

  // 2. Correctness, once per repository.
  let wrong = 0;
  for (const repo of repos) {
    const problems = verify(repo);
    wrong += problems.length;
    for (const p of problems) console.log(`WRONG ${repo.name}: ${p}`);
  }
  if (opts.commits) console.log(wrong ? `\n${wrong} correctness problem(s) above\n` : 'relmgr output checked: next and changelog --all match the generator\n');
  if (opts.ledger) {
    let broken = 0;
    for (const repo of ledgers) {
      const problems = verifyLedger(repo);
      broken += problems.length;
      for (const p of problems) console.log(`WRONG ${repo.name}: ${p}`);
    }
    if (broken) {
      console.log(`\nrelmgr does not work on the ledger repositories (${broken} problem(s) above): not measuring them`);
      process.exit(1);
    }
    console.log(`relmgr output checked: status, status --json and ledger log --json on ${ledgers.map((r) => r.name).join(', ')} (open release ${ledgers[0].expected.open.version})\n`);
  }

  if (report) {
    const problems = verifyReport(report);
    for (const p of problems) console.log(`WRONG ${report.name}: ${p}`);
    if (problems.length) process.exit(1);
    console.log(`relmgr output checked: report --json lists ${report.expected.releases} releases and ${report.expected.productionDeploys} production deploys\n`);
  }

  // 3. Jobs, measured in interleaved rounds.
  const jobs = [
    { id: 'node', label: '`node -e 0`', repo: '–', cmd: NODE, args: ['-e', '0'], cwd: ROOT },
    { id: 'version', label: '`relmgr --version`', repo: '–', cmd: NODE, args: [BIN, '--version'], cwd: ROOT },
  ];
  for (const repo of ledgers) {
    const base = { repo: repo.name, cwd: repo.dir, rounds: opts.ledgerRuns };
    const v = repo.variant;
    jobs.push({ ...base, id: `lstree:${v}`, label: '`git ls-tree -r` ledger tip', cmd: 'git', args: ['ls-tree', '-r', '-z', '--full-tree', 'refs/heads/relmgr/ledger'] });
    jobs.push({ ...base, id: `catfile:${v}`, label: '`git cat-file --batch` (10k blobs)', cmd: 'git', args: ['cat-file', '--batch'], input: ledgerBlobs(repo.dir) });
    jobs.push({ ...base, id: `status:${v}`, label: '`relmgr status`', cmd: NODE, args: [BIN, 'status'] });
    jobs.push({ ...base, id: `statusjson:${v}`, label: '`relmgr status --json`', cmd: NODE, args: [BIN, 'status', '--json'] });
    jobs.push({ ...base, id: `log:${v}`, label: '`relmgr ledger log --json`', cmd: NODE, args: [BIN, 'ledger', 'log', '--json'] });
  }
  if (report) {
    const base = { repo: report.name, cwd: report.dir, rounds: opts.ledgerRuns };
    const period = ['--from', report.expected.from, '--to', report.expected.to];
    jobs.push({ ...base, id: 'report', label: '`relmgr report` (a year)', cmd: NODE, args: [BIN, 'report', ...period] });
    jobs.push({ ...base, id: 'reportjson', label: '`relmgr report --json` (a year)', cmd: NODE, args: [BIN, 'report', '--json', ...period] });
  }
  for (const repo of repos) {
    const base = { repo: repo.name, cwd: repo.dir };
    if (repo.tail) {
      jobs.push({ ...base, id: `gitrange:${repo.size}`, label: '`git log` <lasttag>..HEAD', cmd: 'git', args: ['log', ...LOG_ARGS, `${repo.expected.lastTag}..HEAD`] });
      jobs.push({ ...base, id: `next:${repo.size}`, label: '`relmgr next`', cmd: NODE, args: [BIN, 'next'] });
      jobs.push({ ...base, id: `changelogtail:${repo.size}`, label: '`relmgr changelog --all`', cmd: NODE, args: [BIN, 'changelog', '--all'] });
    } else {
      jobs.push({ ...base, id: `gitall:${repo.size}`, label: '`git log` HEAD (whole history)', cmd: 'git', args: ['log', ...LOG_ARGS, 'HEAD'] });
      jobs.push({ ...base, id: `changelog:${repo.size}`, label: '`relmgr changelog --all`', cmd: NODE, args: [BIN, 'changelog', '--all'] });
    }
  }
  for (const job of jobs) job.runs = [];
  const started = Date.now();
  const rounds = Math.max(opts.commits ? opts.runs : 0, opts.ledger || opts.report ? opts.ledgerRuns : 0);
  for (let round = 0; round < rounds; round++) {
    if (process.stderr.isTTY) process.stderr.write(`\rround ${round + 1}/${rounds}${round === 0 ? ' (warm-up)' : '          '}`);
    for (const job of jobs) {
      if (round >= (job.rounds ?? opts.runs)) continue;
      const run = runOnce(job);
      if (run.status !== 0 && !job.error) job.error = `exit ${run.status}: ${run.stderr.trim().slice(0, 500)}`;
      if (round > 0) job.runs.push(run);
    }
  }
  const counts = [...new Set(jobs.map((j) => j.runs.length))].join(' or ');
  console.log(`${process.stderr.isTTY ? '\r' : ''}measured ${counts} runs of ${jobs.length} commands in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const stats = new Map();
  console.log('| command | repo | median ms | IQR ms | peak MB |');
  console.log('|---|---|---:|---:|---:|');
  for (const job of jobs) {
    const times = job.runs.map((r) => r.ms).sort((a, b) => a - b);
    const peaks = job.runs.map((r) => r.mb).filter((m) => m !== null && Number.isFinite(m));
    const s = { ms: quantile(times, 0.5), iqr: quantile(times, 0.75) - quantile(times, 0.25), mb: peaks.length ? Math.max(...peaks) : null };
    stats.set(job.id, s);
    const mb = s.mb === null ? 'n/a' : s.mb.toFixed(1);
    console.log(`| ${job.label} | ${job.repo} | ${s.ms.toFixed(1)} | ${s.iqr.toFixed(1)} | ${mb} |`);
  }
  for (const job of jobs) if (job.error) console.log(`\nERROR ${job.label} in ${job.repo}: ${job.error}`);

  // 4. Budgets.
  const kinds = [opts.commits ? 'ratios against floors measured in this run' : null, opts.ledger || opts.report ? `${[opts.ledger ? 'ledger' : null, opts.report ? 'report' : null].filter(Boolean).join(' and ')}: absolute` : null].filter(Boolean);
  console.log(`\nBudgets (${kinds.join('; ')}; load now ${loadavg()[0].toFixed(2)}):`);
  let failed = 0;
  const ms = (id) => stats.get(id)?.ms;
  const verdict = (ok) => { if (!ok) failed++; return ok ? 'PASS' : 'FAIL'; };
  const line = (text) => console.log(`- ${text}`);
  const node = ms('node');
  for (const repo of ledgers) {
    const v = repo.variant;
    const n = repo.expected.events.toLocaleString('en-US');
    const st = ms(`status:${v}`);
    line(`relmgr status (${n} events, ${v}) < 1000 ms: ${st.toFixed(1)} ms ${verdict(st < 1000)}`);
    const floor = ms(`lstree:${v}`) + ms(`catfile:${v}`);
    line(`  info, ${v}: status --json ${ms(`statusjson:${v}`).toFixed(1)} ms, ledger log --json ${ms(`log:${v}`).toFixed(1)} ms; floor node -e 0 + bare ls-tree + cat-file = ${node.toFixed(1)} + ${floor.toFixed(1)} ms; status = ${(st / (node + floor)).toFixed(2)}× that floor`);
  }
  if (report) {
    const rp = ms('report');
    line(`relmgr report (${report.expected.releases} releases, ${report.expected.events.toLocaleString('en-US')} events, a year) < 1000 ms: ${rp.toFixed(1)} ms ${verdict(rp < 1000)}`);
    line(`  info: report --json ${ms('reportjson').toFixed(1)} ms; floor node -e 0 = ${node.toFixed(1)} ms`);
  }
  if (opts.commits) commitBudgets(opts, { ms, stats, verdict, line, node, wrong, repos });
  console.log(failed ? `\n${failed} budget(s) failed` : '\nall budgets pass');
  closeSync(devNull);
  rmSync(scratch, { recursive: true, force: true });
  process.exitCode = opts.check && failed ? 1 : 0;
}

/** The budgets of the commit-history repositories, as ratios against the floors. */
function commitBudgets(opts, { ms, stats, verdict, line, node, wrong, repos }) {
  line(`relmgr --version ≤ 1.5 × node -e 0: ${ms('version').toFixed(1)} / ${node.toFixed(1)} ms = ${(ms('version') / node).toFixed(2)}× ${verdict(ms('version') <= 1.5 * node)}`);
  const big = opts.sizes.includes(100000) ? 100000 : opts.sizes.at(-1);
  const sfx = big === 100000 ? '' : ` [${big} commits: 100k not measured]`;
  const floorNext = node + ms(`gitrange:${big}`);
  line(`relmgr next (${big}-tail) ≤ 2 × (node -e 0 + git log range): ${ms(`next:${big}`).toFixed(1)} / ${floorNext.toFixed(1)} ms = ${(ms(`next:${big}`) / floorNext).toFixed(2)}× ${verdict(ms(`next:${big}`) <= 2 * floorNext)}${sfx}`);
  const floorAll = node + ms(`gitall:${big}`);
  line(`relmgr changelog --all (${big}) ≤ 3 × (node -e 0 + git log whole): ${ms(`changelog:${big}`).toFixed(1)} / ${floorAll.toFixed(1)} ms = ${(ms(`changelog:${big}`) / floorAll).toFixed(2)}× ${verdict(ms(`changelog:${big}`) <= 3 * floorAll)}${sfx}`);
  const peak = stats.get(`changelog:${big}`).mb;
  line(`relmgr changelog --all (${big}) peak memory < 300 MB: ${peak === null ? 'n/a' : `${peak.toFixed(1)} MB ${verdict(peak < 300)}`}`);
  for (let i = 1; i < opts.sizes.length; i++) {
    const [a, b] = [opts.sizes[i - 1], opts.sizes[i]];
    const k = b / a;
    const r = ms(`changelog:${b}`) / ms(`changelog:${a}`);
    const net = (ms(`changelog:${b}`) - node) / (ms(`changelog:${a}`) - node);
    line(`linear growth, changelog --all ${b}/${a} (${k}× the commits) ≤ ${(1.2 * k).toFixed(1)}×: ${r.toFixed(2)}× (net of node startup ${net.toFixed(2)}×) ${verdict(r <= 1.2 * k)}`);
    const rn = ms(`next:${b}`) / ms(`next:${a}`);
    line(`growth, next ${b}-tail/${a}-tail (same ${TAIL}-commit tail, info): ${rn.toFixed(2)}×`);
  }
  // Long lines: what each extra byte of the lines1500 repository costs relmgr must not exceed
  // what a byte costs in the lines70 one (net of node start-up and the bare git log), i.e. no
  // cost grows with a line's length. conventional-commits-parser's "match nothing" reference
  // regex made it quadratic: 11× the time of lines70 for 12× the bytes.
  const [shortLine, longLine] = LINE_LENGTHS.map((n) => repos.find((r) => r.line === n));
  const [ts, tl] = [ms(`changelog:${shortLine.name}`), ms(`changelog:${longLine.name}`)];
  const [bs, bl] = [shortLine.expected.messageBytes, longLine.expected.messageBytes];
  const perByteShort = ((ts - node - ms(`gitall:${shortLine.name}`)) / bs) * 1e6;
  const perByteExtra = ((tl - ts) / (bl - bs)) * 1e6;
  line(
    `long lines cost no more per byte than short ones: changelog --all ${longLine.name} vs ${shortLine.name} (${(bl / bs).toFixed(1)}× the message bytes) ${ts.toFixed(1)} → ${tl.toFixed(1)} ms (${(tl / ts).toFixed(2)}×); ` +
      `each extra byte ${perByteExtra.toFixed(1)} ns ≤ a byte of ${shortLine.name} ${perByteShort.toFixed(1)} ns (net of node + git log) ${verdict(perByteExtra <= perByteShort)}`,
  );
  if (wrong) line(`relmgr output: ${wrong} correctness problem(s), see WRONG lines above ${verdict(false)}`);
}

function gitVersion() {
  return spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
}

await main();
