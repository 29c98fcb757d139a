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

const RELEASE_AS = /^release-as:[ \t]*(\S+)[ \t]*$/im;
/*
 * Longer than any real message. The parser's regexes are superlinear on very long lines
 * (a 60,000-character line costs ~0.7 s), so lines and messages are capped before parsing.
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

/** A body line that can change the bump: a breaking-change note, a Release-As footer, a revert. */
const MATTERS_FOR_BUMP = /^[\s|*]*BREAKING[ -]CHANGE[:\s]|^release-as:|This reverts commit/im;

/**
 * What to read: `full` for documents (body, footer, notes); `bump` for the version only — the
 * parser then sees just the header unless the body has a line that can change the bump, which
 * makes `relmgr next` several times cheaper per commit. Type, scope, subject, breaking and
 * Release-As are the same in both; `body` and `footer` are null in `bump` mode.
 */
export type ParseDetail = 'full' | 'bump';

export function parseCommit(raw: RawCommit, detail: ParseDetail = 'full'): ParsedCommit {
  parser ??= new CommitParser(parserOptions);
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
  if (type === null && parsed?.revert) type = 'revert';
  const breakingNotes = (parsed?.notes ?? [])
    .filter((note) => /^BREAKING[ -]CHANGE$/i.test(note.title))
    .map((note) => ({ text: note.text.trim() }));
  const subject = (type !== null && typeof parsed?.subject === 'string' ? parsed.subject : firstLine).trim();
  const body = text.slice(firstLine.length).trim();
  const releaseAs = body === '' ? null : (RELEASE_AS.exec(body)?.[1] ?? null);
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
    author: { name: raw.authorName, email: raw.authorEmail },
    date: raw.date,
  };
}
