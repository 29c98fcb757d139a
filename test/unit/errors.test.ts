import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ExitCode, PreconditionError, RelmgrError, RuntimeError, UsageError, type ErrorCode } from '../../src/errors.js';
import { errorDocument, printError } from '../../src/ui/output.js';
import { errorCodeTable, withErrorCodeTable } from '../helpers/error-table.js';

const SRC = resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the error catalogue', () => {
  it('lists every code the source uses', () => {
    const used = new Set<string>();
    for (const file of sources(SRC)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/['"`](E_[A-Z0-9_]+)['"`]/g)) used.add(match[1] as string);
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((code) => !(code in ERROR_CODES));
    expect(missing).toEqual([]);
  });

  it('gives every code an exit code of the contract and a one-line meaning', () => {
    const exits = new Set<number>(Object.values(ExitCode));
    for (const [code, [exit, meaning]] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^E_[A-Z0-9_]+$/);
      expect(exits.has(exit), code).toBe(true);
      expect(exit, code).not.toBe(0);
      expect(meaning, code).toMatch(/^[^\n]{10,120}$/);
    }
  });

  it('takes the exit code from the catalogue', () => {
    expect(new UsageError('E_USAGE', 'x').exitCode).toBe(2);
    expect(new PreconditionError('E_LOCKED', 'x').exitCode).toBe(3);
    expect(new RuntimeError('E_GIT', 'x').exitCode).toBe(1);
    expect(new RelmgrError('E_STEP_FAILED', 'x').exitCode).toBe(20);
    expect(new RelmgrError('E_ABORTED', 'x').exitCode).toBe(130);
  });

  it('rejects an unknown code at compile time', () => {
    // @ts-expect-error a code that is not in the catalogue does not compile
    const typo: ErrorCode = 'E_DIRTY_TREEE';
    // @ts-expect-error a usage error cannot carry a precondition code
    const wrongClass = () => new UsageError('E_LOCKED', 'x');
    expect([typo, typeof wrongClass]).toBeTruthy();
  });

  it('is the table in docs/errors.md (UPDATE_DOCS=1 rewrites it)', () => {
    const file = resolve(SRC, '../docs/errors.md');
    if (process.env.UPDATE_DOCS === '1') writeFileSync(file, withErrorCodeTable(readFileSync(file, 'utf8')));
    expect(readFileSync(file, 'utf8')).toContain(errorCodeTable());
  });
});

describe('errors for people and for scripts', () => {
  it('shows the code in text, then the details and the hint', () => {
    let text = '';
    const ctx = { stderr: { write: (s: string) => (text += s) }, env: {} };
    printError(ctx, new PreconditionError('E_LOCKED', 'locked', { details: ['a', 'b'], hint: 'wait' }), { verbose: false, color: false });
    expect(text).toBe('error[E_LOCKED]: locked\n  a\n  b\nhint: wait\n');
  });

  it('makes an unexpected error E_INTERNAL', () => {
    expect(errorDocument(new TypeError('x is undefined'))).toMatchObject({ code: 'E_INTERNAL', message: 'x is undefined', details: [] });
    expect(errorDocument(new UsageError('E_BAD_REF', 'bad', { hint: 'h' }))).toEqual({ code: 'E_BAD_REF', message: 'bad', hint: 'h', details: [] });
    expect(errorDocument(new UsageError('E_BAD_REF', 'bad')).hint).toBeNull();
  });
});
