// Synthetic benchmark repositories for bench/run.mjs.
//
// Each repository is written by ONE `git fast-import` stream generated here, then checked out
// with `git reset --hard`. Everything is deterministic (seeded PRNG, fixed identity, increasing
// dates from 2020-01-01 UTC), so a given (GENERATOR, size, tail) always yields the same hashes.
//
//   <size>        `size` conventional commits, a release tag every ~200 commits (150-250), the
//                 last one on HEAD. Versions follow relmgr's bump rules (from v1.0.0).
//   <size>-tail   the same history plus TAIL more commits after the last tag.
//   lines<n>      LINES_SIZE commits like <size>'s, each with ONE body line of exactly n characters
//                 (lines70 and lines1500): the cost of reading history must be linear in its bytes.
//
// Repositories are cached in .bench/repos/<name>/ with a <name>.json beside them (written last,
// so an interrupted generation is redone). Bump GENERATOR when the stream changes.
// The repositories have no commit-graph file (fast-import does not write one): the worst case.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GENERATOR = 'v1';
export const TAIL = 1000;
export const LINES_SIZE = 5000;
export const LINE_LENGTHS = [70, 1500];

const IDENT = 'Bench Author <bench@example.com>';
const START = 1577836800; // 2020-01-01T00:00:00Z
const VISIBLE = new Set(['feat', 'fix', 'perf', 'revert']); // types that get a changelog line

// mulberry32: small, fast, good enough for test data.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [ // [type, weight]
  ['feat', 24], ['fix', 30], ['perf', 4], ['docs', 10], ['chore', 14], ['refactor', 12], ['test', 3], ['ci', 1], [null, 2],
];
const VERBS = {
  feat: ['add', 'support', 'allow', 'introduce', 'expose', 'implement'],
  fix: ['handle', 'avoid a crash in', 'correct', 'prevent duplicate', 'guard against empty', 'restore'],
  perf: ['speed up', 'cache', 'stream', 'batch', 'reduce allocations in', 'avoid re-reading'],
  docs: ['document', 'clarify', 'fix a typo in the docs for', 'update the examples for'],
  chore: ['bump', 'update', 'tidy', 'remove unused'],
  refactor: ['extract', 'simplify', 'rename', 'split', 'inline'],
  test: ['cover', 'add regression tests for', 'stabilise the tests for'],
  ci: ['run the checks for', 'cache dependencies for'],
};
const OBJECTS = [
  'the export endpoint', 'pagination tokens', 'retry backoff', 'config loading', 'tag parsing',
  'the upload queue', 'session refresh', 'the settings page', 'webhook delivery', 'dependency resolution',
  'the progress bar', 'locale fallback', 'the cache layer', 'release notes rendering', 'auth headers',
  'large file uploads', 'the status command', 'environment variables', 'the plugin loader', 'error messages',
  'the search index', 'timezone handling', 'CSV import', 'dry-run output', 'the ledger writer',
];
const QUALIFIERS = [
  '', '', '', ' when the cache is cold', ' for large repositories', ' on Windows', ' in CI',
  ' after a failed upload', ' with an empty config', ' behind a proxy', ' for nested workspaces',
];
const SCOPES = ['api', 'cli', 'core', 'config', 'git', 'deps', 'ui', 'parser', 'auth', 'ledger', 'build'];
const SENTENCES = [
  'The previous behaviour surprised users who ran the command twice in a row.',
  'This keeps the old code path for projects that still rely on it.',
  'Measured on a large repository, the difference is noticeable.',
  'The option is off by default and documented in the README.',
  'Errors now include the offending value and a hint about how to fix it.',
  'No change to the public API.',
  'See the discussion in the linked issue for the trade-offs we considered.',
  'The helper moved to its own module so that the tests can reach it.',
];

function pick(r, list) { return list[Math.floor(r() * list.length)]; }

function wrap(text, width = 72) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

// Prose without the parser's reference keywords (close, fix, resolve…), which would cut a line into
// short pieces before the reference regexes run: a line is read whole, as a long log line or a
// pasted stack trace would be.
const WORDS = ['the', 'request', 'handler', 'now', 'reads', 'settings', 'once', 'per', 'process', 'and', 'keeps', 'them', 'in', 'memory', 'so', 'later', 'calls', 'are', 'cheap', 'measured', 'on', 'a', 'large', 'workspace'];

/** One body line of exactly `length` characters. */
function bodyLine(r, length) {
  let line = '';
  while (line.length < length) line += `${line ? ' ' : ''}${pick(r, WORDS)}`;
  return line.slice(0, length).trimEnd().padEnd(length, '.');
}

/** With `line` (a length), every message gets exactly one body line that long (see lines<n>). */
function makeCommit(r, i, line) {
  const c = makeCommitOnly(r, i);
  if (!line) return c;
  const [header, ...rest] = c.message.trimEnd().split('\n\n');
  const footers = rest.filter((part) => /^(BREAKING CHANGE|Refs|Closes|Fixes|Reviewed-by|This reverts)/.test(part));
  return { ...c, message: `${[header, bodyLine(rng(0xb0d7 ^ i), line), ...footers].join('\n\n')}\n` };
}

/** One commit: its message and what it means for the version (bump) and the changelog. */
function makeCommitOnly(r, i) {
  let x = r() * 100;
  let type = null;
  for (const [t, w] of TYPES) { if ((x -= w) < 0) { type = t; break; } }
  const roll = r();
  if (type === null && roll < 0.15) {
    const header = `Revert "fix(${pick(r, SCOPES)}): ${pick(r, VERBS.fix)} ${pick(r, OBJECTS)}"`;
    const hash = Math.floor(r() * 2 ** 52).toString(16).padStart(13, '0').repeat(4).slice(0, 40);
    return { message: `${header}\n\nThis reverts commit ${hash}.\n`, type: 'revert', breaking: false };
  }
  if (type === null) return { message: `${pick(r, ['Update README.md', 'WIP', 'Merge branch main', 'small cleanups', 'address review comments'])}\n`, type: null, breaking: false };
  const scope = r() < 0.7 ? pick(r, SCOPES) : null;
  const breakingKind = type === 'feat' || type === 'fix' || type === 'refactor' ? r() : 1;
  const bang = breakingKind < 0.0005; // `feat!:`; with the footer below, ~1 commit in 1,500 is breaking
  const footerBreaking = breakingKind >= 0.0005 && breakingKind < 0.001;
  const header = `${type}${scope ? `(${scope})` : ''}${bang ? '!' : ''}: ${pick(r, VERBS[type])} ${pick(r, OBJECTS)}${pick(r, QUALIFIERS)}`;
  const parts = [header];
  if (r() < 0.3) {
    const n = 1 + Math.floor(r() * 4);
    parts.push(wrap(Array.from({ length: n }, () => pick(r, SENTENCES)).join(' ')));
    if (r() < 0.2) parts.push(wrap(Array.from({ length: 2 }, () => pick(r, SENTENCES)).join(' ')));
  }
  const footers = [];
  if (footerBreaking) footers.push(`BREAKING CHANGE: ${pick(r, OBJECTS)} now ${pick(r, ['requires', 'rejects', 'ignores'])} the old format (release ${i})`);
  if (r() < 0.1) footers.push(`${pick(r, ['Refs', 'Closes', 'Fixes'])} #${1 + Math.floor(r() * 5000)}`);
  if (r() < 0.05) footers.push('Reviewed-by: Another Person <another@example.com>');
  if (footers.length) parts.push(footers.join('\n'));
  return { message: `${parts.join('\n\n')}\n`, type, breaking: bang || footerBreaking, file: `src/${scope ?? 'misc'}.ts` };
}

function bumpOf(commits) {
  if (commits.some((c) => c.breaking)) return 'major';
  if (commits.some((c) => c.type === 'feat')) return 'minor';
  if (commits.some((c) => c.type === 'fix' || c.type === 'perf' || c.type === 'revert')) return 'patch';
  return null;
}

function bumped(version, bump) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The fast-import stream (as one Buffer) and what relmgr should find in that repository. */
export function generateStream(size, tail, line = 0) {
  const r = rng(0x5eed ^ size);
  const out = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let time = START;
  let version = null;
  let segment = [];
  let nextTagAt = 150 + Math.floor(r() * 101);
  let tags = 0;
  let changelogLines = 0; // bullets `relmgr changelog --all` should print (tagged commits only)
  let lastTag = null;
  let messageBytes = 0;
  const total = size + tail;
  for (let i = 1; i <= total; i++) {
    time += 120 + Math.floor(r() * 3480);
    const c = makeCommit(r, i, line);
    segment.push(c);
    messageBytes += Buffer.byteLength(c.message);
    if (i <= size) changelogLines += (VISIBLE.has(c.type) ? 1 : 0) + (c.breaking ? 1 : 0);
    out.push(`commit refs/heads/main\nmark :${i}\nauthor ${IDENT} ${time} +0000\ncommitter ${IDENT} ${time} +0000\n`);
    out.push(data(c.message));
    out.push(`M 100644 inline ${c.file ?? 'README.md'}\n${data(`// change ${i}\n`)}`);
    if (i <= size && (i === nextTagAt || i === size)) {
      version = version === null ? '1.0.0' : bumped(version, bumpOf(segment) ?? 'patch');
      lastTag = `v${version}`;
      if (tags % 4 === 3) out.push(`reset refs/tags/${lastTag}\nfrom :${i}\n\n`); // lightweight
      else out.push(`tag ${lastTag}\nfrom :${i}\ntagger ${IDENT} ${time + 60} +0000\n${data(`Release ${version}\n`)}`);
      tags++;
      segment = [];
      nextTagAt = i + 150 + Math.floor(r() * 101);
    }
  }
  out.push('done\n');
  const tailBump = bumpOf(segment);
  const expected = {
    commits: total, tags, lastTag, changelogLines,
    unreleased: tail, next: tail > 0 && tailBump ? bumped(version, tailBump) : null, bump: tail > 0 ? tailBump : null,
  };
  return { stream: Buffer.from(out.join('')), expected: { ...expected, messageBytes } };
}

export function git(cwd, args, input) {
  const res = spawnSync('git', args, { cwd, input, encoding: 'utf8', stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${res.stderr || res.error}`);
  return res.stdout;
}

export function fastImport(dir, stream) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import failed (${code}): ${stderr}`))));
    child.stdin.end(stream);
  });
}

/** Returns { name, dir, expected, seconds } — seconds is 0 when the cached repository was reused. */
export async function ensureRepo(root, size, tail, line = 0) {
  const name = line ? `lines${line}` : `${size}${tail ? '-tail' : ''}`;
  const dir = join(root, name);
  const metaFile = join(root, `${name}.json`);
  const key = `${GENERATOR}/${size}/${tail}${line ? `/line${line}` : ''}`;
  if (existsSync(metaFile) && existsSync(join(dir, '.git'))) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.key === key) return { name, dir, expected: meta.expected, seconds: 0 };
  }
  const started = process.hrtime.bigint();
  rmSync(metaFile, { force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  for (const [k, v] of [['user.name', 'Bench Author'], ['user.email', 'bench@example.com'], ['gc.auto', '0'], ['commit.gpgSign', 'false']]) git(dir, ['config', k, v]);
  const { stream, expected } = generateStream(size, tail, line);
  await fastImport(dir, stream);
  git(dir, ['reset', '--quiet', '--hard', 'main']);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  writeFileSync(metaFile, `${JSON.stringify({ key, expected, seconds }, null, 2)}\n`);
  return { name, dir, expected, seconds };
}
