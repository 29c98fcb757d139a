import type { RawCommit } from '../core/commits.js';

/** Record and unit separators: `git log` prints one record per commit, fields split by US. */
export const RS = '\x1e';
export const US = '\x1f';
/** `%m` is `-` for the boundary commits `--boundary` adds (just outside the range). */
export const LOG_FORMAT = `--format=${RS}%m${US}%H${US}%P${US}%an${US}%ae${US}%aI${US}%B`;

function parseRecord(record: string): { commit: RawCommit; boundary: boolean } | undefined {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < 6; i++) {
    const end = record.indexOf(US, start);
    if (end < 0) return undefined;
    fields.push(record.slice(start, end));
    start = end + 1;
  }
  const [mark, hash, parents, authorName, authorEmail, date] = fields as [string, string, string, string, string, string];
  const commit = {
    hash,
    parents: parents === '' ? [] : parents.split(' '),
    authorName,
    authorEmail,
    date,
    // The message is the last field, so a US inside it stays part of it.
    message: record.slice(start).replace(/\n+$/, ''),
  };
  return { commit, boundary: mark === '-' };
}

/** Splits a streamed `git log` into commits as the text arrives. */
export function logSplitter(onCommit: (commit: RawCommit) => void, onBoundary: (hash: string) => void): { push(text: string): void; end(): void } {
  let buffer = '';
  const flush = (final: boolean): void => {
    let start = buffer.indexOf(RS);
    while (start >= 0) {
      const end = buffer.indexOf(RS, start + 1);
      if (end < 0 && !final) break;
      const record = parseRecord(buffer.slice(start + 1, end < 0 ? undefined : end));
      if (record?.boundary) onBoundary(record.commit.hash);
      else if (record) onCommit(record.commit);
      start = end;
    }
    buffer = start < 0 ? '' : buffer.slice(start);
  };
  return {
    push(text) {
      buffer += text;
      flush(false);
    },
    end() {
      flush(true);
    },
  };
}
