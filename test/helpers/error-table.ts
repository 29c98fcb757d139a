import { ERROR_CODES } from '../../src/errors.js';

/** The catalogue as the markdown table docs/errors.md carries (a test keeps them the same). */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, [exit, meaning]]) => `| \`${code}\` | ${exit} | ${meaning} |`);
  return ['| code | exit | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The docs text with its error code table replaced by the catalogue's. */
export function withErrorCodeTable(docs: string): string {
  const start = docs.indexOf('| code | exit | meaning |');
  if (start < 0) return docs;
  const rest = docs.slice(start);
  const end = rest.search(/\n(?!\|)/);
  return docs.slice(0, start) + errorCodeTable() + (end < 0 ? '\n' : rest.slice(end));
}
