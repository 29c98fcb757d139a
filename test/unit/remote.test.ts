import { describe, expect, it } from 'vitest';
import { repoLinks } from '../../src/core/remote.js';

describe('repoLinks', () => {
  it.each([
    ['https://github.com/acme/app.git', 'https://github.com/acme/app', 'https://github.com/acme/app/commit/abc', 'https://github.com/acme/app/issues/12', 'https://github.com/acme/app/compare/v1.0.0...v1.1.0'],
    ['git@github.com:acme/app.git', 'https://github.com/acme/app', 'https://github.com/acme/app/commit/abc', 'https://github.com/acme/app/issues/12', 'https://github.com/acme/app/compare/v1.0.0...v1.1.0'],
    ['ssh://git@github.com/acme/app', 'https://github.com/acme/app', 'https://github.com/acme/app/commit/abc', 'https://github.com/acme/app/issues/12', 'https://github.com/acme/app/compare/v1.0.0...v1.1.0'],
    ['https://x-access-token:ghs_SECRET@github.com/acme/app.git', 'https://github.com/acme/app', 'https://github.com/acme/app/commit/abc', 'https://github.com/acme/app/issues/12', 'https://github.com/acme/app/compare/v1.0.0...v1.1.0'],
    ['git+https://github.com/acme/app.git', 'https://github.com/acme/app', 'https://github.com/acme/app/commit/abc', 'https://github.com/acme/app/issues/12', 'https://github.com/acme/app/compare/v1.0.0...v1.1.0'],
    ['https://gitlab.com/group/sub/app.git', 'https://gitlab.com/group/sub/app', 'https://gitlab.com/group/sub/app/-/commit/abc', 'https://gitlab.com/group/sub/app/-/issues/12', 'https://gitlab.com/group/sub/app/-/compare/v1.0.0...v1.1.0'],
    ['git@gitlab.example.com:team/app.git', 'https://gitlab.example.com/team/app', 'https://gitlab.example.com/team/app/-/commit/abc', 'https://gitlab.example.com/team/app/-/issues/12', 'https://gitlab.example.com/team/app/-/compare/v1.0.0...v1.1.0'],
    ['ssh://git@gitlab.com:2222/team/app.git', 'https://gitlab.com/team/app', 'https://gitlab.com/team/app/-/commit/abc', 'https://gitlab.com/team/app/-/issues/12', 'https://gitlab.com/team/app/-/compare/v1.0.0...v1.1.0'],
    ['https://user:pw@bitbucket.org/team/app.git', 'https://bitbucket.org/team/app', 'https://bitbucket.org/team/app/commits/abc', 'https://bitbucket.org/team/app/issues/12', 'https://bitbucket.org/team/app/branches/compare/v1.1.0%0Dv1.0.0'],
    ['git@bitbucket.org:team/app.git', 'https://bitbucket.org/team/app', 'https://bitbucket.org/team/app/commits/abc', 'https://bitbucket.org/team/app/issues/12', 'https://bitbucket.org/team/app/branches/compare/v1.1.0%0Dv1.0.0'],
    ['https://codeberg.org/owner/app.git', 'https://codeberg.org/owner/app', 'https://codeberg.org/owner/app/commit/abc', 'https://codeberg.org/owner/app/issues/12', 'https://codeberg.org/owner/app/compare/v1.0.0...v1.1.0'],
    ['git@gitea.example.org:owner/app.git', 'https://gitea.example.org/owner/app', 'https://gitea.example.org/owner/app/commit/abc', 'https://gitea.example.org/owner/app/issues/12', 'https://gitea.example.org/owner/app/compare/v1.0.0...v1.1.0'],
  ])('%s', (url, repo, commitUrl, issueUrl, compareUrl) => {
    const links = repoLinks(url);
    expect(links).not.toBeNull();
    expect(links?.repoUrl).toBe(repo);
    expect(links?.commitUrl?.('abc')).toBe(commitUrl);
    expect(links?.issueUrl?.('12')).toBe(issueUrl);
    expect(links?.compareUrl?.('v1.0.0', 'v1.1.0')).toBe(compareUrl);
    expect(JSON.stringify([links?.repoUrl, links?.commitUrl?.('a'), links?.compareUrl?.('a', 'b')])).not.toMatch(/SECRET|pw@|user:/);
  });

  it.each([undefined, '', '/srv/git/app.git', '../other', 'file:///srv/git/app.git', 'C:\\repos\\app', 'https://example.com/'])('no links for %j', (url) => {
    expect(repoLinks(url)).toBeNull();
  });

  it('keeps slashes in tag names readable', () => {
    expect(repoLinks('https://github.com/a/b')?.compareUrl?.('pkg/v1.0.0', 'pkg/v1.1.0')).toBe('https://github.com/a/b/compare/pkg/v1.0.0...pkg/v1.1.0');
  });
});
