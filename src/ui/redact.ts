/** Replaces credentials inside URLs (`https://user:token@host/…`) so they never reach output. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)/i;
// AUTH also matches GIT_AUTHOR_NAME/EMAIL/DATE, which are set in most CI jobs and are not secret:
// hiding the author's name in every step's output would only make logs unreadable.
const NOT_SECRET_NAME = /AUTHOR_(NAME|EMAIL|DATE)$/i;
const MIN_SECRET_LENGTH = 6;

/**
 * The values worth hiding in an environment: those of variables named like a secret, at least six
 * characters long (shorter values such as `true` or `1` would turn every log into asterisks).
 * A multi-line value (a PEM key) also contributes each of its lines, because output is redacted a
 * line at a time. Longest first, so a secret that contains another is replaced whole.
 */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name)) continue;
    for (const candidate of [value, ...(/[\r\n]/.test(value) ? value.split(/\r?\n|\r/) : [])]) {
      const trimmed = candidate.trim();
      if (trimmed.length >= MIN_SECRET_LENGTH) found.add(trimmed);
    }
  }
  return [...found].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** Replaces every occurrence of each secret (longest first) with `***`, then URL credentials. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '' && out.includes(secret)) out = out.split(secret).join('***');
  }
  return redactUrlCredentials(out);
}
