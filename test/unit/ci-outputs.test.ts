import { describe, expect, it } from 'vitest';
import { azureLines, dotenvLines, githubLines, inAzurePipelines, releaseOutputs, summaryTable, writeCiOutputs } from '../../src/ui/ci-outputs.js';

describe('releaseOutputs', () => {
  it.each([
    [{ version: '1.2.0', tag: 'v1.2.0', state: 'cut', released: true }, {}, { version: '1.2.0', tag: 'v1.2.0', state: 'cut', environment: '', released: 'true' }],
    [{ version: '1.2.0', tag: 'v1.2.0', state: 'pending', environment: 'production', released: false }, { exit: '10' }, { version: '1.2.0', tag: 'v1.2.0', state: 'pending', environment: 'production', released: 'false', exit: '10' }],
    [{ version: '', tag: '', state: 'none', environment: null, released: false }, {}, { version: '', tag: '', state: 'none', environment: '', released: 'false' }],
  ])('always has the five keys, in order: %o', (given, extra, expected) => {
    const outputs = releaseOutputs(given, extra);
    expect(outputs).toEqual(expected);
    expect(Object.keys(outputs).slice(0, 5)).toEqual(['version', 'tag', 'state', 'environment', 'released']);
  });
});

describe('githubLines', () => {
  it.each([
    ['one line', { version: '1.2.0' }, 'version=1.2.0\n'],
    ['an empty value', { environment: '' }, 'environment=\n'],
    ['a multi-line value: the delimiter form', { notes: 'a\nb' }, 'notes<<ghadelimiter_R\na\nb\nghadelimiter_R\n'],
    ['CRLF becomes LF inside the block', { notes: 'a\r\nb' }, 'notes<<ghadelimiter_R\na\nb\nghadelimiter_R\n'],
  ])('%s', (_name, outputs, expected) => {
    expect(githubLines(outputs, () => 'R')).toBe(expected);
  });

  it('draws a new random delimiter for each multi-line value', () => {
    const text = githubLines({ a: '1\n2', b: '3\n4' });
    const delimiters = [...text.matchAll(/^[ab]<<(ghadelimiter_[0-9a-f]{24})$/gm)].map((m) => m[1]);
    expect(delimiters).toHaveLength(2);
    expect(delimiters[0]).not.toBe(delimiters[1]);
  });
});

describe('dotenvLines (GitLab dotenv reports, Jenkins readProperties)', () => {
  it.each([
    [{ version: '1.2.0', environment: '' }, 'RELMGR_VERSION=1.2.0\nRELMGR_ENVIRONMENT=\n'],
    [{ next: 'a\nb' }, 'RELMGR_NEXT=a b\n'],
    [{ next: 'x\\y ' }, 'RELMGR_NEXT=x/y\n'],
  ])('one RELMGR_ line per key, no multi-line value, no backslash: %o', (outputs, expected) => {
    expect(dotenvLines(outputs)).toBe(expected);
  });
});

describe('azureLines (Azure Pipelines output variables)', () => {
  it.each([
    [{ version: '1.2.0' }, '##vso[task.setvariable variable=version;isOutput=true]1.2.0\n'],
    [{ environment: '' }, '##vso[task.setvariable variable=environment;isOutput=true]\n'],
    [{ next: '50%\nok\r' }, '##vso[task.setvariable variable=next;isOutput=true]50%AZP25%0Aok%0D\n'],
  ])('%o', (outputs, expected) => {
    expect(azureLines(outputs)).toBe(expected);
  });

  it.each([
    ['True', true],
    ['true', true],
    ['False', false],
    [undefined, false],
  ])('TF_BUILD=%s is Azure Pipelines: %s', (value, expected) => {
    expect(inAzurePipelines({ TF_BUILD: value })).toBe(expected);
  });
});

describe('summaryTable', () => {
  it('shows version, state, environment and the next command', () => {
    const table = summaryTable(releaseOutputs({ version: '1.2.0', tag: 'v1.2.0', state: 'deploying', environment: 'staging', released: true }), { command: 'relmgr deploy staging: 1.2.0', next: 'relmgr deploy production' });
    expect(table).toBe(
      ['### relmgr deploy staging: 1.2.0', '', '| | |', '|---|---|', '| version | 1.2.0 (tag v1.2.0) |', '| state | deploying |', '| environment | staging |', '| next | relmgr deploy production |', ''].join('\n'),
    );
  });

  it('a dash for what is empty, and a pipe escaped', () => {
    const table = summaryTable(releaseOutputs({ version: '', tag: '', state: 'none', released: false }), { next: 'a | b' });
    expect(table).toContain('| version | — |');
    expect(table).toContain('| environment | — |');
    expect(table).toContain('| next | a \\| b |');
  });
});

describe('writeCiOutputs', () => {
  const fake = (env: Record<string, string>) => {
    const files: Record<string, string> = {};
    let stderr = '';
    const ctx = {
      env,
      cwd: '/work',
      appendText: async (path: string, text: string) => {
        files[path] = (files[path] ?? '') + text;
      },
      stderr: { write: (text: string) => ((stderr += text), true) },
    };
    return { ctx, files, stderr: () => stderr };
  };
  const outputs = releaseOutputs({ version: '1.2.0', tag: 'v1.2.0', state: 'cut', released: true });

  it('writes nothing outside CI', async () => {
    const { ctx, files, stderr } = fake({});
    await writeCiOutputs(ctx, outputs);
    expect(files).toEqual({});
    expect(stderr()).toBe('');
  });

  it('GitHub: outputs and a step summary; a dotenv file relative to the working directory; Azure on stderr', async () => {
    const { ctx, files, stderr } = fake({ GITHUB_OUTPUT: '/o', GITHUB_STEP_SUMMARY: '/s', TF_BUILD: 'True' });
    await writeCiOutputs(ctx, outputs, { dotenv: 'release.env', command: 'relmgr cut: 1.2.0', next: 'relmgr test' });
    expect(files['/o']).toBe('version=1.2.0\ntag=v1.2.0\nstate=cut\nenvironment=\nreleased=true\n');
    expect(files['/s']).toContain('| next | relmgr test |');
    expect(files['/work/release.env']).toBe('RELMGR_VERSION=1.2.0\nRELMGR_TAG=v1.2.0\nRELMGR_STATE=cut\nRELMGR_ENVIRONMENT=\nRELMGR_RELEASED=true\n');
    expect(stderr().split('\n').filter(Boolean)).toHaveLength(5);
    expect(stderr()).toContain('##vso[task.setvariable variable=released;isOutput=true]true\n');
  });
});
