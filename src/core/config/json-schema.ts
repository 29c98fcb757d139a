import { z } from 'zod';
import { configSchema } from './schema.js';

export const SCHEMA_FILE = 'schema/release.config.schema.json';

/** The JSON Schema of release.config.yaml (draft-07, which editors' YAML plugins read best). */
export function buildJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
  return { ...schema, title: 'relmgr release config (release.config.yaml)' };
}

export function jsonSchemaText(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
