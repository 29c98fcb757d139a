/** The only HTTP client: notifications POST JSON to webhooks with node's fetch. */

export interface HttpResponse {
  status: number;
}

export interface HttpPort {
  /** POSTs a JSON body; resolves with the status (any), rejects when nothing answered (refused, timed out). */
  postJson(url: string, body: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse>;
}

/**
 * A URL's `user:password@` as what curl makes of it — an `Authorization: Basic` header — since fetch
 * refuses a URL that carries credentials.
 */
export function withoutCredentials(url: string): { url: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url, headers: {} };
  const basic = Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64');
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), headers: { authorization: `Basic ${basic}` } };
}

export const fetchHttp: HttpPort = {
  async postJson(target, body, timeoutMs, signal) {
    const { url, headers } = withoutCredentials(target);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'relmgr', ...headers },
      body,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    // The body is not read: a receiver's answer is its status; drain it so the connection is freed.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  },
};
