import type { z } from 'zod';
import type { PathSegment } from './problems.js';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
}

const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a value at `path` may be (several for unions). */
function objectsAt(schema: z.ZodType, path: readonly PathSegment[]): z.ZodType[] {
  const d = def(schema);
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
      return objectsAt(d.innerType as z.ZodType, path);
    case 'pipe':
      return objectsAt(d.in as z.ZodType, path);
    case 'union':
      return (d.options ?? []).flatMap((option) => objectsAt(option, path));
    default:
      break;
  }
  if (path.length === 0) return d.type === 'object' ? [schema] : [];
  const [head, ...rest] = path;
  if (d.type === 'object' && typeof head === 'string' && d.shape?.[head]) return objectsAt(d.shape[head], rest);
  if (d.type === 'array' && typeof head === 'number' && d.element) return objectsAt(d.element, rest);
  if (d.type === 'record' && d.valueType) return objectsAt(d.valueType, rest);
  return [];
}

/** The keys the schema allows at `path` — for "did you mean" on unknown keys. */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const keys = new Set<string>();
  for (const object of objectsAt(schema, path)) for (const key of Object.keys(def(object).shape ?? {})) keys.add(key);
  return [...keys];
}
