import { ERROR_CODES } from '../../src/errors.js';

/** The catalogue as the markdown table docs/errors.md carries (a test keeps them the same). */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, [exit, meaning]]) => `| \`${code}\` | ${exit} | ${meaning} |`);
  return ['| code | exit | meaning |', '|---|---|---|', ...rows].join('\n');
}
