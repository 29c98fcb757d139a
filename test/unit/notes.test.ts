import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReleaseModel } from '../../src/core/model.js';
import { renderChangelogSection, renderTemplate, TemplateError } from '../../src/core/notes.js';
import { repoLinks } from '../../src/core/remote.js';
import { commit } from '../helpers/commits.js';

const template = readFileSync(new URL('../../templates/changelog.md.hbs', import.meta.url), 'utf8');
const links = repoLinks('git@github.com:acme/app.git');

function model(messages: string[], overrides: Partial<Parameters<typeof buildReleaseModel>[0]> = {}) {
  return buildReleaseModel({
    project: 'app',
    version: '1.4.0',
    previousVersion: '1.3.2',
    tag: 'v1.4.0',
    previousTag: 'v1.3.2',
    toRef: 'HEAD',
    date: new Date('2026-11-21T10:00:00Z'),
    bump: 'minor',
    commits: messages.map((m) => commit(m)),
    links,
    ...overrides,
  });
}

describe('the default changelog template', () => {
  it('renders the conventionalcommits style', () => {
    const m = model([
      'feat(api): add export\n\nCloses #12',
      'fix: crash on empty input (#7)',
      'feat(api)!: drop v1 endpoints\n\nBREAKING CHANGE: use /v2 instead',
      'perf: faster parse',
      'docs: hidden',
      'chore: hidden too',
      'Not conventional at all',
    ]);
    const text = renderChangelogSection(template, m, { issueUrl: links?.issueUrl ?? null });
    const hash = (subject: string) => m.commits.find((c) => c.subject === subject)?.hash as string;
    const short = (subject: string) => hash(subject).slice(0, 7);
    expect(text).toBe(
      [
        '## [1.4.0](https://github.com/acme/app/compare/v1.3.2...v1.4.0) (2026-11-21)',
        '',
        '### ⚠ BREAKING CHANGES',
        '',
        '* **api:** use /v2 instead',
        '',
        '### Features',
        '',
        `* **api:** add export ([${short('add export')}](https://github.com/acme/app/commit/${hash('add export')})), closes [#12](https://github.com/acme/app/issues/12)`,
        `* **api:** drop v1 endpoints ([${short('drop v1 endpoints')}](https://github.com/acme/app/commit/${hash('drop v1 endpoints')}))`,
        '',
        '### Bug Fixes',
        '',
        `* crash on empty input ([#7](https://github.com/acme/app/issues/7)) ([${short('crash on empty input (#7)')}](https://github.com/acme/app/commit/${hash('crash on empty input (#7)')}))`,
        '',
        '### Performance Improvements',
        '',
        `* faster parse ([${short('faster parse')}](https://github.com/acme/app/commit/${hash('faster parse')}))`,
        '',
      ].join('\n'),
    );
  });

  it('has no links without a hosted remote, and a plain heading for a first release', () => {
    const m = model(['feat: a'], { links: null, previousTag: null, previousVersion: null, version: '0.1.0' });
    const text = renderChangelogSection(template, m, { issueUrl: null });
    expect(text).toBe(`## 0.1.0 (2026-11-21)\n\n### Features\n\n* a (${m.commits[0]?.shortHash})\n`);
  });

  it('treats commit text as data, never as a template', () => {
    const m = model(['feat: {{constructor.constructor "return process"}} <b>&</b>']);
    const text = renderChangelogSection(template, m, { issueUrl: null });
    expect(text).toContain('* {{constructor.constructor "return process"}} <b>&</b> (');
  });

  it('reports template errors with a line', () => {
    expect(() => renderTemplate('a\n{{#each groups}}\nb\n{{/if}}', {}, { issueUrl: null })).toThrow(TemplateError);
    try {
      renderTemplate('ok\n\n{{oops', {}, { issueUrl: null });
    } catch (error) {
      expect((error as TemplateError).line).toBe(3);
    }
    expect(() => renderTemplate('{{#each groups}}{{/each}}{{nohelper 1}}', {}, { issueUrl: null })).toThrow(/Missing helper/);
  });

  it('does not reach prototypes from templates', () => {
    expect(renderTemplate('[{{constructor.name}}]', {}, { issueUrl: null })).toBe('[]');
  });
});

describe('buildReleaseModel', () => {
  it('collects contributors and skips merge commits', () => {
    const m = buildReleaseModel({
      project: 'p', version: '1.0.0', previousVersion: null, tag: 'v1.0.0', previousTag: null, toRef: 'HEAD',
      date: '2026-11-21T23:59:59+05:00', bump: 'initial',
      commits: [commit('feat: a'), commit('Merge x', { merge: true }), commit('fix: b')], links: null,
    });
    expect(m.commits).toHaveLength(2);
    expect(m.contributors).toEqual([{ name: 'Test', email: 'test@example.com', commits: 2 }]);
    expect(m.date).toBe('2026-11-21');
    expect(m.compareUrl).toBeNull();
  });
});
