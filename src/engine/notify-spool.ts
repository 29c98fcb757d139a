/**
 * Notifications handed off by a command that ended while they were still being retried: a spool
 * file under .relmgr/logs/notify/ (keys, targets by id, the announcements; never a webhook's URL)
 * that a detached `relmgr notify --deliver <spool>` finishes.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from '../context.js';
import type { Announcement } from '../core/notify/announce.js';
import { timestamp } from '../core/duration.js';

export interface SpoolItem {
  key: string;
  /** The target's id (its webhook or command is read from the config again). */
  target: string;
  announcement: Announcement;
  project: string;
  /** Attempts already made. */
  done: number;
  error?: string;
}

export const SPOOL_DIR = join('.relmgr', 'logs', 'notify');

/** A spool: its items, and where the command that wrote it ran (the background reads the same config). */
export interface Spool {
  items: SpoolItem[];
  /** The repository root (absolute). */
  root?: string;
  /** The release config the command read (absolute; `-c <file>` or the root's). */
  config?: string;
}

/** Writes the spool; returns its absolute path and the log's path relative to the root. */
export async function writeSpool(ctx: Context, root: string, items: readonly SpoolItem[], config: string | null = null): Promise<{ spool: string; log: string }> {
  const name = `${timestamp(ctx.wallClock.now()).replace(/[-:]/g, '')}-${randomBytes(3).toString('hex')}`;
  const spool = join(root, SPOOL_DIR, `${name}.json`);
  // Masked like every other output: an error may quote a URL (and the secrets in it).
  const text = JSON.stringify({ schema: 'relmgr/notify-spool/v1', root, ...(config !== null ? { config } : {}), items }, null, 2);
  await ctx.fs.writeTextAtomic(spool, `${ctx.secrets.redact(text)}\n`);
  return { spool, log: join(SPOOL_DIR, `${name}.log`) };
}

export async function readSpool(ctx: Context, path: string): Promise<Spool | null> {
  const text = await ctx.fs.readText(path);
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as { items?: unknown; root?: unknown; config?: unknown };
    if (!Array.isArray(value.items)) return null;
    return {
      items: value.items as SpoolItem[],
      ...(typeof value.root === 'string' ? { root: value.root } : {}),
      ...(typeof value.config === 'string' ? { config: value.config } : {}),
    };
  } catch {
    return null;
  }
}
