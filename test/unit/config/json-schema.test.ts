import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemaText, SCHEMA_FILE } from '../../../src/core/config/json-schema.js';

const root = new URL('../../../', import.meta.url);
const committed = readFileSync(new URL(SCHEMA_FILE, root), 'utf8');

describe('the JSON Schema', () => {
  it('is the one generated from the zod schema (run `npm run schema` when this fails)', () => {
    expect(committed).toBe(jsonSchemaText());
  });

  it('is shipped in the npm package', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });

  it('lets a standard validator accept the example and reject a misspelled key', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(committed));
    const example = readFileSync(new URL('release.config.example.yaml', root), 'utf8');
    expect(validate(parse(example)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(parse(readFileSync(new URL('release.config.yaml', root), 'utf8')))).toBe(true);
    const misspelled = example.replace('    on_failure: rollback', '    on_failur: rollback');
    expect(misspelled).not.toBe(example);
    expect(validate(parse(misspelled))).toBe(false);
    expect(validate.errors?.some((e: { keyword: string; params: Record<string, unknown> }) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'on_failur')).toBe(true);
    const badGate = example.replace('      - window: office-hours', '      - windw: office-hours');
    expect(validate(parse(badGate))).toBe(false);
  });

  it('starts every file relmgr writes with the editor hint', () => {
    for (const file of ['release.config.example.yaml', 'release.config.yaml']) {
      expect(readFileSync(new URL(file, root), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/release.config.schema.json');
    }
  });
});
