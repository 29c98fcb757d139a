import type { RawCommit } from '../core/commits.js';

/** The unit separator, for git output whose fields cannot hold control characters (ref names). */
export const US = '\x1f';

/**
 * One record per commit, NUL-terminated (`-z`): a commit message cannot hold a NUL, but it can hold
 * any other byte, so no separator inside the record could be trusted to end a message. The fields
 * before the message are one per line — none of them can hold a newline (git refuses one in an
 * author's name or email) — and the message is the rest of the record.
 * `%m` is `-` for the boundary commits `--boundary` adds (just outside the range).
 */
export const LOG_ARGS = ['-z', '--format=%m%n%H%n%P%n%an%n%ae%n%aI%n%B'];
const FIELDS_BEFORE_MESSAGE = 6;

function parseRecord(record: string): { commit: RawCommit; boundary: boolean } | undefined {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < FIELDS_BEFORE_MESSAGE; i++) {
    const end = record.indexOf('\n', start);
    if (end < 0) return undefined;
    fields.push(record.slice(start, end));
    start = end + 1;
  }
  const [mark, hash, parents, authorName, authorEmail, date] = fields as [string, string, string, string, string, string];
  if (!/^[0-9a-f]{7,}$/.test(hash)) return undefined;
  const commit = {
    hash,
    parents: parents === '' ? [] : parents.split(' '),
    authorName,
    authorEmail,
    date,
    message: record.slice(start).replace(/\n+$/, ''),
  };
  return { commit, boundary: mark === '-' };
}

/** Splits a streamed `git log -z` into commits as the text arrives. */
export function logSplitter(onCommit: (commit: RawCommit) => void, onBoundary: (hash: string) => void): { push(text: string): void; end(): void } {
  let buffer = '';
  const emit = (text: string): void => {
    const record = parseRecord(text);
    if (record?.boundary) onBoundary(record.commit.hash);
    else if (record) onCommit(record.commit);
  };
  return {
    push(text) {
      buffer += text;
      let end = buffer.indexOf('\0');
      let start = 0;
      while (end >= 0) {
        emit(buffer.slice(start, end));
        start = end + 1;
        end = buffer.indexOf('\0', start);
      }
      buffer = buffer.slice(start);
    },
    end() {
      if (buffer.trim() !== '') emit(buffer);
      buffer = '';
    },
  };
}
