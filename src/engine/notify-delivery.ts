/**
 * Delivering one notification: a webhook POST (retried with backoff), or a command run through
 * the shell with the notification on stdin. A failure is returned, never thrown.
 */
import type { Context } from '../context.js';
import type { Announcement } from '../core/notify/announce.js';
import { notificationDocument, payload } from '../core/notify/format.js';
import type { Target } from '../core/notify/owed.js';
import { webhookHint, webhookHost } from '../core/notify/webhook.js';
import { parseDuration } from '../core/duration.js';

/** Attempts per webhook, and the waits between them (1 s, then 4 s). */
export const ATTEMPTS = 3;
export const BACKOFF_MS = [1000, 4000] as const;
/** How long one POST may take. */
export const ATTEMPT_TIMEOUT_MS = 5000;

/** Sent; failed for good; or stopped by the command's end with attempts left (`unfinished`: handed off). */
export type Delivery = { ok: true; attempts: number } | { ok: false; attempts: number; error: string; unfinished?: boolean };

/** A target ready to send to: a webhook's expanded URL, or a command. */
export type Ready = { target: Target; kind: 'webhook'; url: string; format: 'json' | 'slack' | 'teams' } | { target: Target; kind: 'run'; command: string; timeoutMs: number };

/**
 * How messages name a target: a webhook by its host, a command by its first word; when another
 * target has the same name (`shared`), with a hint that tells them apart: the webhook's last path
 * segment when it gives nothing away (`127.0.0.1:8080 (…/deploys)`), else the target's id.
 */
export function targetLabel(ready: Ready, shared = false): string {
  const name = ready.kind === 'webhook' ? webhookHost(ready.url) : `command ${JSON.stringify(ready.command.trim().split(/\s+/)[0] ?? '')}`;
  if (!shared) return name;
  const hint = 'webhook' in ready.target.spec ? webhookHint(ready.target.spec.webhook) : null;
  return `${name} (${hint ?? `target ${ready.target.id}`})`;
}

export function readyRun(target: Target): Ready | null {
  const spec = target.spec;
  if (!('run' in spec)) return null;
  return { target, kind: 'run', command: spec.run, timeoutMs: parseDuration(spec.timeout) ?? 30_000 };
}

/** Whether an answer is worth another attempt: server errors, 408 and 429 are; other 4xx are not. */
export const retryable = (status: number): boolean => status >= 500 || status === 408 || status === 429 || status < 400;

function failure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000}s`;
  return (error as Error).message;
}

export interface DeliverOptions {
  /** Attempts already made (a hand-off continues where the command stopped). */
  done?: number;
  /** The command is ending: stop (between attempts, or abort the one in flight) and say what is left. */
  signal?: AbortSignal;
}

export async function postWebhook(ctx: Context, ready: Extract<Ready, { kind: 'webhook' }>, body: string, options: DeliverOptions = {}): Promise<Delivery> {
  const host = webhookHost(ready.url);
  let attempts = options.done ?? 0;
  let error = '';
  const signal = options.signal;
  while (attempts < ATTEMPTS) {
    if (attempts > 0) await ctx.sleep(BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)] as number, signal);
    if (signal?.aborted) return { ok: false, attempts, error, unfinished: true };
    attempts += 1;
    try {
      const { status } = await ctx.http.postJson(ready.url, body, ATTEMPT_TIMEOUT_MS, signal);
      if (status >= 200 && status < 300) return { ok: true, attempts };
      error = `${host} answered ${status}`;
      if (!retryable(status)) return { ok: false, attempts, error };
    } catch (caught) {
      error = `${host}: ${signal?.aborted ? 'no answer' : failure(caught)}`;
    }
    if (signal?.aborted && attempts < ATTEMPTS) return { ok: false, attempts, error, unfinished: true };
  }
  return { ok: false, attempts, error };
}

export async function runCommand(ctx: Context, ready: Extract<Ready, { kind: 'run' }>, announcement: Announcement, project: string, cwd: string): Promise<Delivery> {
  const label = targetLabel(ready);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, { RELMGR_NOTIFY_EVENT: announcement.event, RELMGR_VERSION: announcement.release.version, RELMGR_ENV: announcement.env ?? '' });
  try {
    const result = await ctx.shell.run({
      command: ready.command,
      cwd,
      env,
      timeoutMs: ready.timeoutMs,
      killGraceMs: 2000,
      stdin: `${JSON.stringify(notificationDocument(announcement, project, ready.target.id))}\n`,
      onOutput: () => undefined,
    });
    if (result.timedOut) return { ok: false, attempts: 1, error: `${label} was stopped after ${Math.round(ready.timeoutMs / 1000)}s (its timeout)` };
    if (result.exitCode === 0) return { ok: true, attempts: 1 };
    return { ok: false, attempts: 1, error: `${label} exited with ${result.exitCode ?? result.signal ?? 'nothing'}` };
  } catch (caught) {
    return { ok: false, attempts: 1, error: `${label}: ${(caught as Error).message}` };
  }
}

/** Sends one notification to one target. */
export function deliver(ctx: Context, ready: Ready, announcement: Announcement, project: string, cwd: string, options: DeliverOptions = {}): Promise<Delivery> {
  if (ready.kind === 'run') return runCommand(ctx, ready, announcement, project, cwd);
  return postWebhook(ctx, ready, payload(ready.format, announcement, project, ready.target.id), options);
}
