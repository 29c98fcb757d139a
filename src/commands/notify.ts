import type { Context } from '../context.js';
import { HORIZON_MS } from '../core/notify/announce.js';
import type { Owed } from '../core/notify/owed.js';
import { createNotifier, readyTargets } from '../engine/notifier.js';
import { deliver, type Delivery } from '../engine/notify-delivery.js';
import { readSpool } from '../engine/notify-spool.js';
import { prepare, type GlobalOptions } from '../engine/prepare.js';
import { projectName } from '../engine/project.js';
import { openSession } from '../engine/session.js';
import { UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';

export interface NotifyOptions extends GlobalOptions {
  dryRun?: boolean;
  /** A spool file a command handed off (internal: the background delivery). */
  deliver?: string;
}

interface Line {
  key: string;
  event: string;
  target: string;
  summary: string;
  status: 'sent' | 'failed' | 'would send';
  error?: string;
}

/** `relmgr notify`: sends what is owed now (an overdue release, the last 24 hours' events nobody announced); `--dry-run` lists it. */
export async function run(ctx: Context, options: NotifyOptions): Promise<number> {
  if (options.deliver !== undefined) return deliverSpool(ctx, options, options.deliver);
  const prepared = await prepare(ctx, options);
  const config = prepared.loaded.config;
  if (config === null || config.notify.length === 0) {
    ctx.stderr.write('nothing to notify: the release config has no notify: section (see docs/notifications.md)\n');
    if (options.json) printJson(ctx.stdout, { notifications: [] });
    return 0;
  }
  const dryRun = options.dryRun === true;
  const session = await openSession(ctx, prepared, { write: !dryRun, memory: dryRun, notify: false });
  const root = prepared.info.root;
  const notifier = createNotifier(ctx, session, { config, root, project: () => projectName(ctx.fs, root, prepared.settings.project), foreground: true });
  const lines: Line[] = [];
  let nothing = '';
  const line = (item: Owed, status: Line['status'], result?: Delivery): Line => ({
    key: item.key,
    event: item.announcement.event,
    target: notifier.describe(item),
    summary: item.announcement.summary,
    status,
    ...(result && !result.ok ? { error: result.error } : {}),
  });
  try {
    // A dry run's session records nothing: catching up then only says what would be sent.
    const owed = await notifier.catchUp();
    await notifier.finish();
    const done = new Map(notifier.results.map(({ owed: item, result }) => [item.key, result]));
    for (const item of owed) {
      const result = done.get(item.key);
      lines.push(line(item, result === undefined ? 'would send' : result.ok ? 'sent' : 'failed', result));
    }
    nothing = nothingOwed(session.state.notifiedSince, ctx.wallClock.now());
  } finally {
    await session.close();
  }
  if (options.json) printJson(ctx.stdout, { notifications: lines });
  else if (lines.length === 0) ctx.stdout.write(`${nothing}\n`);
  else for (const l of lines) ctx.stdout.write(`${l.status === 'sent' ? 'Sent' : l.status === 'failed' ? 'Failed' : 'Would send'} ${l.event} to ${l.target}: ${l.summary}${l.error ? ` (${l.error})` : ''}\n`);
  return 0;
}

/**
 * What is true when nothing is owed: nothing is replayed from before notifications were switched
 * on (the ledger's earliest claim; none yet: just now), so only what happened since was announced.
 */
export function nothingOwed(since: string | undefined, now: Date): string {
  if (since === undefined) return 'Nothing to notify: nothing is owed (events recorded before notifications were switched on are not replayed; what happens from now on is announced)';
  if (now.getTime() - Date.parse(since) < HORIZON_MS) return 'Nothing to notify: every event since notifications were switched on was announced (earlier ones are not replayed)';
  return 'Nothing to notify: every event of the last 24 hours was announced';
}

/**
 * The background half of a command that ended while notifications were being retried: finish them,
 * record what failed for good. It reads the config and repository the command used (named in the
 * spool), and says in its log (its stdout) what it does, including why it sends nothing.
 */
async function deliverSpool(ctx: Context, options: NotifyOptions, path: string): Promise<number> {
  const at = (): string => ctx.wallClock.now().toISOString();
  const spool = await readSpool(ctx, path);
  if (spool === null) throw new UsageError('E_USAGE', `${path} is not a notification spool`, { hint: 'relmgr notify sends what is owed' });
  ctx.stdout.write(`${at()} delivering ${spool.items.length} notification${spool.items.length === 1 ? '' : 's'} from ${path}${spool.config !== undefined ? ` (config: ${spool.config})` : ''}\n`);
  const prepared = await prepare(ctx, { ...options, ...(spool.root !== undefined ? { cwd: spool.root } : {}), ...(spool.config !== undefined ? { config: spool.config } : {}) });
  const config = prepared.loaded.config;
  if (config === null || config.notify.length === 0) {
    ctx.stdout.write(`${at()} nothing delivered: ${config === null ? 'no release config was found' : `${prepared.loaded.shown ?? 'the release config'} has no notify: section`} (the spool is kept: once the config has its targets, finish it with relmgr notify --deliver ${path})\n`);
    return 0;
  }
  const session = await openSession(ctx, prepared, { write: true, notify: false });
  try {
    const targets = readyTargets(ctx, config, (text) => session.warn(text));
    for (const item of spool.items) {
      const ready = targets.get(item.target);
      if (!ready) {
        ctx.stdout.write(`${at()} skipped ${item.key}: notify target ${item.target} ${ready === null ? 'cannot be used (see the warning)' : 'is no longer in the release config'}\n`);
        continue;
      }
      const result = await deliver(ctx, ready, item.announcement, item.project, prepared.info.root, { done: item.done });
      if (result.ok) {
        ctx.stdout.write(`${at()} sent ${item.key}: ${item.announcement.summary}\n`);
        continue;
      }
      ctx.stdout.write(`${at()} failed ${item.key}: ${result.error}\n`);
      await session.record(session.event('notification.failed', item.announcement.release.version, { key: item.key, error: result.error, attempts: result.attempts }));
    }
    await ctx.fs.remove(path);
  } finally {
    await session.close();
  }
  return 0;
}
