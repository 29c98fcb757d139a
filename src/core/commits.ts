import { CommitParser, type ParserOptions } from 'conventional-commits-parser';

/** A commit as read from `git log`: no interpretation yet. */
export interface RawCommit {
  hash: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Author date, ISO 8601 as git prints it. */
  date: string;
  message: string;
}

export interface BreakingNote {
  /** The migration note: a BREAKING CHANGE footer's text, or the subject for `type!:`. */
  text: string;
}

/** A commit read as a Conventional Commit. Non-conventional messages have `type: null`. */
export interface ParsedCommit {
  hash: string;
  shortHash: string;
  parents: string[];
  merge: boolean;
  /** Lower-cased type (`feat`, `fix`, …), `revert` for git's own "Revert "…"" messages, else null. */
  type: string | null;
  scope: string | null;
  subject: string;
  header: string;
  body: string | null;
  footer: string | null;
  breaking: boolean;
  breakingNotes: BreakingNote[];
  /** The version a `Release-As:` footer asks for, as written. */
  releaseAs: string | null;
  /** What this commit reverts (`revert: <header>` or `Revert "<header>"` + "This reverts commit <hash>."). */
  reverts: { header: string | null; hash: string | null } | null;
  author: { name: string; email: string };
  date: string;
}

/*
 * The "conventionalcommits" preset's patterns. Issue references are deliberately not parsed
 * here (`issuePrefixes: null`): with them the parser costs ~20x more per commit, and only the
 * changelog needs them (see references.ts).
 */
const parserOptions = {
  headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\.?/i,
  revertCorrespondence: ['header', 'hash'],
  issuePrefixes: null as unknown as string[],
} satisfies ParserOptions;

let parser: CommitParser | undefined;

/*
 * With `issuePrefixes: null` the parser still runs its "match nothing" reference regex,
 * `/(?!.*)/`, on every body and footer line: it tries every position and reads to the end of the
 * line at each, so a line costs the square of its length (5,000 commits with one 1,500-character
 * line each spent 91 % of `changelog --all` there). A sticky empty lookahead fails at the first
 * position without reading anything. References are parsed in references.ts.
 */
const NEVER = /(?!)/y;

function makeParser(): CommitParser {
  const made = new CommitParser(parserOptions);
  const regexes = (made as unknown as { regexes?: { referenceParts?: unknown } }).regexes;
  if (regexes && regexes.referenceParts instanceof RegExp) regexes.referenceParts = NEVER;
  return made;
}

const RELEASE_AS = /^release-as:[ \t]*(\S+)[ \t]*$/im;
/*
 * Longer than any real message. Only the first 64 KiB and 2,000 characters of a line are handed
 * to the parser (a defence against regexes that are superlinear on very long lines); the footers
 * that change the version — BREAKING CHANGE and Release-As — are found by a line scan of the
 * whole message first (breakingFooter, releaseAsFooter), so nothing after the cap is lost.
 */
const MAX_PARSED_LENGTH = 64 * 1024;
const MAX_LINE_LENGTH = 2000;

function capped(message: string): string {
  const text = message.length > MAX_PARSED_LENGTH ? message.slice(0, MAX_PARSED_LENGTH) : message;
  if (text.length <= MAX_LINE_LENGTH) return text;
  return text
    .split('\n')
    .map((line) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH)}…` : line))
    .join('\n');
}

/**
 * The first `BREAKING CHANGE:` / `BREAKING-CHANGE:` note line of the body, as the parser reads
 * notes (`^[\s|*]*KEYWORD[:\s]+(.*)`), found with indexOf: linear in the message, any size.
 */
export function breakingFooter(message: string): string | null {
  const folded = message.toUpperCase();
  let at = folded.indexOf('BREAKING', message.indexOf('\n') + 1);
  while (at > 0) {
    const lineStart = message.lastIndexOf('\n', at) + 1;
    const sep = folded[at + 8];
    if (lineStart > 0 && /^[ \t|*]*$/.test(message.slice(lineStart, at)) && (sep === ' ' || sep === '-') && folded.startsWith('CHANGE', at + 9)) {
      const c = message[at + 15];
      if (c === ':' || c === ' ' || c === '\t') {
        const end = message.indexOf('\n', at + 15);
        const text = message.slice(at + 15, end < 0 ? undefined : end).replace(/^[:\s]+/, '').trim();
        if (text !== '') return text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH)}…` : text;
      }
    }
    at = folded.indexOf('BREAKING', at + 8);
  }
  return null;
}

/** A body line that can change the bump: a breaking-change note, a Release-As footer, a revert. */
const MATTERS_FOR_BUMP = /^[ \t|*]*BREAKING[ -]CHANGE[:\s]|^release-as:|This reverts commit/im;
const GIT_REVERT = /^Revert "(.+)"$/;

function revertOf(parsed: ReturnType<CommitParser['parse']> | undefined, type: string | null, subject: string, header: string): ParsedCommit['reverts'] {
  const revert = parsed?.revert;
  if (revert) {
    const target = typeof revert.header === 'string' && revert.header.trim() !== '' ? revert.header.trim() : null;
    const hash = typeof revert.hash === 'string' && /^[0-9a-f]{7,}$/i.test(revert.hash) ? revert.hash.toLowerCase() : null;
    if (target !== null || hash !== null) return { header: target, hash };
  }
  const git = GIT_REVERT.exec(header);
  if (git) return { header: git[1] as string, hash: null };
  return type === 'revert' && subject !== '' ? { header: subject, hash: null } : null;
}

/**
 * What to read: `full` for documents (body, footer, notes); `bump` for the version only — the
 * parser then sees just the header unless the body has a line that can change the bump, which
 * makes `relmgr next` several times cheaper per commit. Type, scope, subject, breaking and
 * Release-As are the same in both; `body` and `footer` are null in `bump` mode.
 */
export type ParseDetail = 'full' | 'bump';

export function parseCommit(raw: RawCommit, detail: ParseDetail = 'full'): ParsedCommit {
  parser ??= makeParser();
  const merge = raw.parents.length > 1;
  const capped_ = capped(raw.message);
  const newline = capped_.indexOf('\n');
  const text = detail === 'bump' && newline >= 0 && !MATTERS_FOR_BUMP.test(capped_.slice(newline)) ? capped_.slice(0, newline) : capped_;
  const firstLine = (text.split('\n', 1)[0] ?? '').trim();
  let parsed: ReturnType<CommitParser['parse']> | undefined;
  try {
    parsed = text.trim() === '' ? undefined : parser.parse(text);
  } catch {
    parsed = undefined;
  }
  let type = typeof parsed?.type === 'string' && parsed.type !== '' ? parsed.type.toLowerCase() : null;
  if (type === null && (parsed?.revert || GIT_REVERT.test(firstLine))) type = 'revert';
  const breakingNotes = (parsed?.notes ?? [])
    .filter((note) => /^BREAKING[ -]CHANGE$/i.test(note.title))
    .map((note) => ({ text: note.text.trim() }));
  // The parser saw a capped message: a breaking footer past the cap is found by the line scan.
  if (breakingNotes.length === 0 && capped_.length < raw.message.length) {
    const late = breakingFooter(raw.message);
    if (late !== null) breakingNotes.push({ text: late });
  }
  const subject = (type !== null && typeof parsed?.subject === 'string' ? parsed.subject : firstLine).trim();
  const rest = newline < 0 ? '' : raw.message.slice(raw.message.indexOf('\n'));
  const releaseAs = rest === '' ? null : (RELEASE_AS.exec(rest)?.[1] ?? null);
  return {
    hash: raw.hash,
    shortHash: raw.hash.slice(0, 7),
    parents: raw.parents,
    merge,
    type,
    scope: typeof parsed?.scope === 'string' && parsed.scope !== '' ? parsed.scope : null,
    subject,
    header: firstLine,
    body: typeof parsed?.body === 'string' && parsed.body !== '' ? parsed.body : null,
    footer: typeof parsed?.footer === 'string' && parsed.footer !== '' ? parsed.footer : null,
    breaking: breakingNotes.length > 0,
    breakingNotes,
    releaseAs,
    reverts: revertOf(parsed, type, subject, firstLine),
    author: { name: raw.authorName, email: raw.authorEmail },
    date: raw.date,
  };
}
