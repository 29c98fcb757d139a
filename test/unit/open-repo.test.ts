import { describe, expect, it } from 'vitest';
import type { GitPort } from '../../src/adapters/git.js';
import { defaultSettings } from '../../src/core/settings.js';
import { openRepo } from '../../src/engine/repo-commits.js';
import { PreconditionError } from '../../src/errors.js';

const gitWithTags = (names: string[]): GitPort =>
  ({
    repoInfo: async () => ({ root: '/r', head: 'h'.repeat(40), shallow: false }),
    tags: async () => names.map((name) => ({ name, commit: 'c'.repeat(40), date: '2026-01-01T00:00:00Z' })),
  }) as unknown as GitPort;

describe('openRepo and tags in another format', () => {
  it.each<[string[], string, string | null]>([
    [['1.2.3'], 'v{version}', 'tag: "{version}"'],
    [['app-v1.2.3', 'app-v1.3.0'], 'v{version}', 'tag: "app-v{version}"'],
    [['v1.2.3', '1.0.0'], 'v{version}', null],
    [['latest', 'v2'], 'v{version}', null],
    [['1.2.3'], '{version}', null],
  ])('tags %j with versioning.tag %s', async (names, template, line) => {
    const settings = defaultSettings();
    settings.versioning.tag = template;
    const opening = openRepo(gitWithTags(names), settings);
    if (line === null) {
      await expect(opening).resolves.toBeDefined();
      return;
    }
    const error = await opening.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error).toMatchObject({ code: 'E_TAG_FORMAT', exitCode: 3 });
    expect((error as PreconditionError).hint).toContain(`under versioning:  ${line}`);
  });
});
