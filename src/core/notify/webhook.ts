/**
 * A webhook as written and as sent (pure): `${VAR}` takes (part of) it from the environment; the
 * result must be an http(s) URL. Errors name the target by its host only: the rest may be a secret.
 */

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The variables a webhook names. */
export function webhookVariables(written: string): string[] {
  return [...written.matchAll(VARIABLE)].map((m) => m[1] as string);
}

export type Expanded = { ok: true; url: string } | { ok: false; missing: string[] } | { ok: false; invalid: string };

/** Whether text is an http(s) URL with a host. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The scheme a URL is written with, or null. */
const schemeOf = (text: string): string | null => /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase() ?? null;

/** What is wrong with a webhook as written (before expansion), or null: its literal start must be http(s). */
export function writtenWebhookProblem(written: string): string | null {
  const literal = written.split('${')[0] ?? '';
  if (!written.includes('${')) return isHttpUrl(written) ? null : notHttp(written);
  if (literal === '') return null;
  const scheme = schemeOf(literal);
  return scheme === 'http' || scheme === 'https' ? null : notHttp(literal);
}

function notHttp(text: string): string {
  const scheme = schemeOf(text);
  return `a webhook must be an http:// or https:// URL${scheme !== null && scheme !== 'http' && scheme !== 'https' ? ` (this one is ${scheme}:)` : ''}`;
}

/** Expands `${VAR}` from the environment; an unset (or empty) variable, or a result that is not http(s), is reported. */
export function expandWebhook(written: string, env: Readonly<Record<string, string | undefined>>): Expanded {
  const missing = webhookVariables(written).filter((name) => (env[name] ?? '') === '');
  if (missing.length > 0) return { ok: false, missing: [...new Set(missing)] };
  const url = written.replace(VARIABLE, (_, name: string) => env[name] ?? '');
  if (!isHttpUrl(url)) return { ok: false, invalid: notHttp(url) };
  return { ok: true, url };
}

/** How errors and warnings name a webhook: its host (the path and query may hold a secret). */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host || 'the webhook';
  } catch {
    return 'the webhook';
  }
}

/**
 * A hint at which webhook of a host this is, revealing no secret: `…/<last path segment>` when the
 * webhook is written without a variable, has two path segments or more (the hint is never the whole
 * path, which is masked) and the last is a short word (at most 16 letters, digits, `.`, `_`, `-`,
 * fewer than 4 digits: not a token); else null (then the target's id names it).
 */
export function webhookHint(written: string): string | null {
  if (written.includes('${')) return null;
  try {
    const segments = new URL(written).pathname.split('/').filter((s) => s !== '');
    const last = segments.at(-1);
    if (segments.length < 2 || last === undefined || !/^[A-Za-z0-9._-]{1,16}$/.test(last) || (last.match(/\d/g) ?? []).length >= 4) return null;
    return `…/${last}`;
  } catch {
    return null;
  }
}

/** What to mask: the URL, its path and query (a Slack webhook's secret is its path). */
export function webhookSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const path = `${parsed.pathname}${parsed.search}`;
    return [url, ...(path.length > 1 ? [path] : [])];
  } catch {
    return [url];
  }
}
