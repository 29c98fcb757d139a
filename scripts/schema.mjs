// Writes schema/release.config.schema.json from the zod schema (src/core/config/schema.ts).
// `npm run schema` after changing the schema; a test fails while the two disagree.
import { build } from 'esbuild';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = await mkdtemp(join(tmpdir(), 'relmgr-schema-'));
try {
  const out = join(dir, 'schema.mjs');
  await build({ entryPoints: ['src/core/config/json-schema.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { jsonSchemaText, SCHEMA_FILE } = await import(out);
  await mkdir('schema', { recursive: true });
  await writeFile(SCHEMA_FILE, jsonSchemaText());
  console.error(`wrote ${SCHEMA_FILE}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
