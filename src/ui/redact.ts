/** Replaces credentials inside URLs (`https://user:token@host/…`) so they never reach output. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}
