import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/* The source has no import cycles, type imports included: each layer can be read (and replaced) from the bottom up. */

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
    found.push(normalize(join(dirname(file), (match[1] as string).replace(/\.js$/, '.ts'))));
  }
  return found;
}

/** Every cycle found by a depth-first walk, as `a.ts -> b.ts -> a.ts` relative to src/. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) found.push([...path.slice(at), next].map((f) => relative(SRC, f)).join(' -> '));
      else if (graph.has(next) && !done.has(next)) visit(next, [...path, next]);
    }
    done.add(node);
  };
  for (const node of graph.keys()) if (!done.has(node)) visit(node, [node]);
  return found;
}

describe('imports', () => {
  it('finds a cycle when there is one', () => {
    expect(cycles(new Map([[join(SRC, 'a.ts'), [join(SRC, 'b.ts')]], [join(SRC, 'b.ts'), [join(SRC, 'a.ts')]]]))).toEqual(['a.ts -> b.ts -> a.ts']);
  });

  it('has no cycles in src/', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    expect(cycles(new Map(files.map((file) => [file, imports(file)])))).toEqual([]);
  });
});
