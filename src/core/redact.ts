/**
 * Secret masking, pure: which environment values are secrets, the shapes well-known tokens have,
 * and replacing both with `***`. Applied once at the output boundary (stdout, stderr), in step logs
 * and in ledger events.
 */

/** Replaces credentials inside URLs (`https://user:token@host/…`) so they never reach output. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PASS|KEY|CREDENTIAL|AUTH|WEBHOOK|DSN|SESSION|COOKIE|SIGNATURE|PRIVATE)/i;
/**
 * Names that match the pattern but whose values are not secret, and would only make logs unreadable
 * if hidden: git identities (set in most CI jobs), ids that are public by design (AWS_ACCESS_KEY_ID,
 * a KMS key id), paths and files of keys (the path is not the key), keyboard and desktop-session
 * settings, the ssh agent's socket.
 */
const NOT_SECRET_NAME = /AUTHOR_(NAME|EMAIL|DATE)$|_KEY_?(ID|PATH|FILE|NAME)$|_KEYS_?(PATH|DIR|FILE)$|^KEYBOARD|^(XDG_SESSION_|DESKTOP_SESSION)|^(DBUS_SESSION_BUS_ADDRESS|SESSION_MANAGER|SSH_AUTH_SOCK|GPG_KEY_?ID|KEYCHAIN)$/i;
const MIN_SECRET_LENGTH = 6;

/** Whether a variable holds a secret: named like one, or listed in the config (`redact.env`). */
export function isSecretName(name: string, extra: readonly string[] = []): boolean {
  if (extra.includes(name)) return true;
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

/**
 * The values worth hiding in an environment: those of variables named like a secret (or named in
 * `extra`), at least six characters long (shorter values such as `true` or `1` would turn every log
 * into asterisks). A multi-line value (a PEM key) also contributes each of its lines, because output
 * is redacted a line at a time. Longest first, so a secret that contains another is replaced whole.
 */
export function secretValues(env: Readonly<Record<string, string | undefined>>, extra: readonly string[] = []): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !isSecretName(name, extra)) continue;
    for (const candidate of [value, ...(/[\r\n]/.test(value) ? value.split(/\r?\n|\r/) : [])]) {
      const trimmed = candidate.trim();
      if (trimmed.length >= MIN_SECRET_LENGTH) found.add(trimmed);
    }
  }
  return [...found].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Tokens recognisable by their shape alone, wherever they come from (a config value, a commit
 * message, a step's output): GitHub (classic and fine-grained), GitLab, npm, Slack, AWS key ids.
 */
const TOKEN_SHAPES =
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|xox[abpr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16})\b/g;

export function redactTokenShapes(text: string): string {
  return text.replace(TOKEN_SHAPES, '***');
}

/** A secret as it may also appear: URL-encoded (in a URL, a query, a form body). */
function encodedForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  return encoded === secret ? [] : [...new Set([encoded, encoded.replace(/%20/g, '+'), encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())])];
}

/** Replaces every occurrence of each secret (longest first, also URL-encoded) with `***`, then token shapes and URL credentials. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const forms = secrets.flatMap((secret) => [secret, ...encodedForms(secret)]);
  for (const secret of forms.sort((a, b) => b.length - a.length)) {
    if (secret !== '' && out.includes(secret)) out = out.split(secret).join('***');
  }
  return redactUrlCredentials(redactTokenShapes(out));
}

/**
 * The secrets of one run: the environment's, plus variables the config names (`redact.env`), added
 * once the config is read. Every output path redacts through the same instance.
 */
export class Redactor {
  private secrets: string[];
  private names: string[] = [];
  private values: string[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {
    this.secrets = secretValues(env);
  }

  /** Also hides the values of these variables (from this environment, or another one given). */
  addNames(names: readonly string[]): void {
    this.names = [...new Set([...this.names, ...names])];
    this.secrets = [...new Set([...secretValues(this.env, this.names), ...this.values])];
  }

  /** Also hides these values (a webhook URL expanded from the environment, its path). */
  addValues(values: readonly string[]): void {
    this.values = [...new Set([...this.values, ...values.filter((v) => v.length >= MIN_SECRET_LENGTH)])];
    this.secrets = [...new Set([...secretValues(this.env, this.names), ...this.values])];
  }

  /** The extra variable names the config listed. */
  get extraNames(): readonly string[] {
    return this.names;
  }

  readonly redact = (text: string): string => redactSecrets(text, this.secrets);
}
