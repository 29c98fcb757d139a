import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Markdown links outside fenced code blocks: [text](target). */
function links(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
}

describe('the documentation stands alone', () => {
  it.each(pages)('%s links only to files in this repository, and they exist', (page) => {
    for (const target of links(readFileSync(join(root, page), 'utf8'))) {
      expect(target, `${page} links outside the repository`).not.toMatch(/^[a-z]+:/i);
      const file = target.split('#')[0] as string;
      if (file !== '') expect(existsSync(resolve(dirname(join(root, page)), file)), `${page} → ${target}`).toBe(true);
    }
  });

  it.each(pages)('%s does not point at design notes outside the repository', (page) => {
    expect(readFileSync(join(root, page), 'utf8')).not.toMatch(/\.\.\/shared|DESIGN\.md/);
  });

  it.each(pages)('%s names only error codes that exist', (page) => {
    const catalogue = readFileSync(join(root, 'src/errors.ts'), 'utf8');
    const named = new Set([...readFileSync(join(root, page), 'utf8').matchAll(/\bE_[A-Z][A-Z_]+\b/g)].map((m) => m[0]));
    for (const code of named) expect(catalogue, `${page} names ${code}`).toContain(`  ${code}: [`);
  });

  it('no source, bench or example file points at design notes outside the repository', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|mjs|js|ya?ml|hbs)$/.test(entry.name) && /\.\.\/shared|DESIGN(\.md)? §/.test(readFileSync(join(root, path), 'utf8'))) offenders.push(path);
      }
    };
    for (const dir of ['src', 'bench', 'examples', 'templates', 'scripts']) walk(dir);
    expect(offenders).toEqual([]);
  });
});
