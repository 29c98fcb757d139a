import { createServer, type Server, type Socket } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN, type TestRepo } from './repo.js';

/** A TCP server on 127.0.0.1 that accepts every connection and never answers (a hung remote). */
export async function hangingServer(): Promise<{ url(path: string): string; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: (path) => `git://127.0.0.1:${port}/${path}`,
    connections: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** True while a process exists and is not a zombie waiting to be reaped. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export interface AsyncRun {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs bin/relmgr.js without blocking this process (the hanging server lives here too);
 * `started` gets the child, to signal it.
 */
export function relmgrAsync(r: Pick<TestRepo, 'dir' | 'env'>, args: string[], env: Record<string, string> = {}, started?: (child: ChildProcess) => void): Promise<AsyncRun> {
  return new Promise((resolve) => {
    const begin = performance.now();
    let stdout = '';
    let stderr = '';
    const child = spawn(process.execPath, [BIN, ...args], { cwd: r.dir, env: { ...r.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr, ms: performance.now() - begin }));
    started?.(child);
  });
}

/** Resolves once `check` holds, checking every few milliseconds (rejects after `limitMs`). */
export async function until(check: () => boolean, limitMs = 20_000): Promise<void> {
  const end = performance.now() + limitMs;
  while (!check()) {
    if (performance.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
