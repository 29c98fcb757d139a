/** The only HTTP client: notifications POST JSON to webhooks with node's fetch. */

export interface HttpResponse {
  status: number;
}

export interface HttpPort {
  /** POSTs a JSON body; resolves with the status (any), rejects when nothing answered (refused, timed out). */
  postJson(url: string, body: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse>;
}

export const fetchHttp: HttpPort = {
  async postJson(url, body, timeoutMs, signal) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'relmgr' },
      body,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    // The body is not read: a receiver's answer is its status; drain it so the connection is freed.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  },
};
