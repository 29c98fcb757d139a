import { parseCommit, type ParsedCommit } from '../../src/core/commits.js';

let n = 0;

/** A parsed commit from a message, as the engine would see it from git log. */
export function commit(message: string, options: { merge?: boolean } = {}): ParsedCommit {
  n += 1;
  const hash = n.toString(16).padStart(40, 'a');
  return parseCommit({
    hash,
    parents: options.merge ? ['1'.repeat(40), '2'.repeat(40)] : ['0'.repeat(40)],
    authorName: 'Test',
    authorEmail: 'test@example.com',
    date: '2026-11-21T00:00:00Z',
    message,
  });
}
