import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: unknown;
  /** The Authorization header, if any. */
  authorization?: string;
}

/** A webhook receiver on loopback: records every POST; answers with `statuses` in turn (then 200). */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  statuses: number[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      received.push({ path: req.url ?? '', body, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    statuses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (connection refused). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Staging then production (approved by bob), and a notify: section pointing at `url`. */
export function notifyConfig(url: string, extra = ''): string {
  return [
    'schema: relmgr/v1',
    'project: payments-api',
    'versioning: { branches: [main] }',
    'groups: { release-managers: [bob@example.com, carol@example.com] }',
    'phases:',
    '  build: { steps: [ { name: compile, run: "true" } ] }',
    '  test: { steps: [ { name: unit, run: "true" } ] }',
    '  deploy: { order: [staging, production] }',
    'environments:',
    '  staging:',
    '    deploy: [ { name: ship, run: "echo shipping with $HOOK_PATH" } ]',
    '  production:',
    '    tier: production',
    '    entry:',
    '      - approval: { id: signoff, rules: [ { from: release-managers, min: 1 } ] }',
    '    deploy: [ { name: ship, run: "true" } ]',
    'notify:',
    `  - webhook: "${url}/hooks/\${HOOK_PATH}"`,
    '    format: json',
    '    on: [planned, gate_pending, approved, deployed, deploy_failed, closed, overdue]',
    extra,
    '',
  ].join('\n');
}
