/** Link builders for a hosted repository, derived from its remote URL. */
export type HostKind = 'github' | 'gitlab' | 'bitbucket' | 'gitea';

export interface RepoLinks {
  kind: HostKind | 'custom';
  /** https://host/owner/repo — never with credentials; null when only custom formats are known. */
  repoUrl: string | null;
  commitUrl: ((hash: string) => string) | null;
  issueUrl: ((issue: string) => string) | null;
  compareUrl: ((from: string, to: string) => string) | null;
}

export interface UrlFormats {
  commit?: string | undefined;
  issue?: string | undefined;
  compare?: string | undefined;
}

const fill = (format: string, values: Record<string, string>): string =>
  format.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** `changelog.urls` from the config override the links derived from the remote URL. */
export function withUrlFormats(base: RepoLinks | null, urls: UrlFormats | null): RepoLinks | null {
  if (!urls || (!urls.commit && !urls.issue && !urls.compare)) return base;
  const { commit, issue, compare } = urls;
  return {
    kind: base?.kind ?? 'custom',
    repoUrl: base?.repoUrl ?? null,
    commitUrl: commit ? (hash) => fill(commit, { hash }) : (base?.commitUrl ?? null),
    issueUrl: issue ? (id) => fill(issue, { issue: id }) : (base?.issueUrl ?? null),
    compareUrl: compare ? (from, to) => fill(compare, { from, to }) : (base?.compareUrl ?? null),
  };
}

interface Parsed {
  host: string;
  path: string;
}

function parseRemote(url: string): Parsed | null {
  const trimmed = url.trim();
  // scp-like: [user@]host:owner/repo(.git)
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(trimmed);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    return { host: scp[1] as string, path: scp[2] as string };
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed.replace(/^git\+/, ''));
  } catch {
    return null;
  }
  if (!['http:', 'https:', 'ssh:', 'git:'].includes(parsed.protocol) || parsed.hostname === '') return null;
  return { host: parsed.hostname, path: decodeURIComponent(parsed.pathname) };
}

function kindOf(host: string): HostKind {
  const h = host.toLowerCase();
  if (h === 'github.com' || h.endsWith('.github.com') || h.startsWith('github.')) return 'github';
  if (h.includes('gitlab')) return 'gitlab';
  if (h === 'bitbucket.org' || h.includes('bitbucket')) return 'bitbucket';
  if (h === 'codeberg.org' || h.includes('gitea') || h.includes('forgejo')) return 'gitea';
  // Self-hosted forges (GitHub Enterprise, Gitea) share GitHub's URL shapes.
  return 'github';
}

/** Links for `remote.origin.url`, or null when it is no hosted repository (a path, file://, …). */
export function repoLinks(remoteUrl: string | undefined): RepoLinks | null {
  if (!remoteUrl) return null;
  const parsed = parseRemote(remoteUrl);
  if (!parsed) return null;
  const path = parsed.path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  if (!path.includes('/')) return null;
  const kind = kindOf(parsed.host);
  const base = `https://${parsed.host}/${path}`;
  const enc = (ref: string): string => encodeURIComponent(ref).replace(/%2F/g, '/');
  switch (kind) {
    case 'gitlab':
      return {
        kind,
        repoUrl: base,
        commitUrl: (h) => `${base}/-/commit/${h}`,
        issueUrl: (i) => `${base}/-/issues/${i}`,
        compareUrl: (a, b) => `${base}/-/compare/${enc(a)}...${enc(b)}`,
      };
    case 'bitbucket':
      return {
        kind,
        repoUrl: base,
        commitUrl: (h) => `${base}/commits/${h}`,
        issueUrl: (i) => `${base}/issues/${i}`,
        compareUrl: (a, b) => `${base}/branches/compare/${enc(b)}%0D${enc(a)}`,
      };
    default:
      return {
        kind,
        repoUrl: base,
        commitUrl: (h) => `${base}/commit/${h}`,
        issueUrl: (i) => `${base}/issues/${i}`,
        compareUrl: (a, b) => `${base}/compare/${enc(a)}...${enc(b)}`,
      };
  }
}
