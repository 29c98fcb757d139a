import { describe, expect, it } from 'vitest';
import { renderInitialConfig, type InitAnswers } from '../../../src/core/config/initial.js';
import { parseConfig } from '../../../src/core/config/load.js';
import { formatProblem } from '../../../src/core/config/problems.js';

const base: InitAnswers = {
  project: 'demo', tag: 'v{version}', branch: 'main', environments: ['staging', 'production'], productionApproval: true,
  approvers: ['a@example.com', 'b@example.com'], schemaRef: './node_modules/relmgr/schema/release.config.schema.json', node: true,
};

describe('renderInitialConfig', () => {
  it.each<[string, Partial<InitAnswers>]>([
    ['defaults', {}],
    ['one approver', { approvers: ['a@example.com'] }],
    ['a CI identity', { approvers: ['ci@localhost'] }],
    ['the placeholder approver', { approvers: ['replace-me@example.invalid'] }],
    ['no approval', { productionApproval: false }],
    ['no environments', { environments: [] }],
    ['no production', { environments: ['dev', 'qa'] }],
    ['not node', { node: false }],
    ['odd names', { project: 'yes', environments: ['1.0', 'true', 'live'], tag: 'release-{version}' }],
  ])('writes a config that validates: %s', (_name, answers) => {
    const text = renderInitialConfig({ ...base, ...answers });
    const { config, problems } = parseConfig(text, 'release.config.yaml');
    expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    expect(config?.project).toBe(answers.project ?? 'demo');
    expect(config?.phases.deploy?.order ?? []).toEqual(answers.environments ?? base.environments);
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${base.schemaRef}`);
  });

  it('puts the approval on production and lets a lone approver approve', () => {
    const { config } = parseConfig(renderInitialConfig({ ...base, approvers: ['a@example.com'] }), 'r.yaml');
    expect(config?.environments.production?.entry?.[0]?.approval).toMatchObject({ id: 'signoff', allow_self: true });
    expect(config?.groups['release-managers']).toEqual(['a@example.com']);
  });

  it.each<[string, Partial<InitAnswers>, unknown[]]>([
    ['node, no list given', {}, ['package.json']],
    ['not node, no list given: none, not a VERSION file that may not exist', { node: false }, []],
    ['found: none', { versionFiles: [] }, []],
    ['found: package.json and Cargo.toml', { versionFiles: ['package.json', { path: 'Cargo.toml', toml: 'package.version' }] }, ['package.json', { path: 'Cargo.toml', toml: 'package.version' }]],
    ['found: a poetry pyproject.toml and VERSION', { node: false, versionFiles: [{ path: 'pyproject.toml', toml: 'tool.poetry.version' }, 'VERSION'] }, [{ path: 'pyproject.toml', toml: 'tool.poetry.version' }, 'VERSION']],
  ])('lists the version files that exist: %s', (_name, answers, files) => {
    const text = renderInitialConfig({ ...base, ...answers });
    const { config, problems } = parseConfig(text, 'release.config.yaml');
    expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    expect(config?.versioning.files).toEqual(files);
    if (files.length === 0) expect(text).toContain('  #   - package.json   - { path: Cargo.toml, toml: package.version }');
  });
});
