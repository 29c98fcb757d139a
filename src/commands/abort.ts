import type { Context } from '../context.js';
import { openSession, targetRelease, type Session } from '../engine/session.js';
import { PreconditionError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { prepare, type GlobalOptions } from './shared.js';

export interface AbortOptions extends GlobalOptions {
  reason?: string;
  release?: string;
}

/** `relmgr abort`: abandons a release that has not been deployed anywhere. Its tag, if cut, stays. */
export async function run(ctx: Context, options: AbortOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const session = await openSession(ctx, prepared, { write: true, lock: 'relmgr abort', release: options.release });
  try {
    return await abort(ctx, options, session);
  } finally {
    await session.close();
  }
}

async function abort(ctx: Context, options: AbortOptions, session: Session): Promise<number> {
  const release = targetRelease(session.state, options.release);
  if (release.state === 'abandoned') {
    throw new PreconditionError('E_ABANDONED', `release ${release.version} is already abandoned`, { hint: 'open a new one with: relmgr plan' });
  }
  if (release.phases.deploy.attempts.length > 0) {
    throw new PreconditionError('E_DEPLOYED', `release ${release.version} has been deployed: it cannot be abandoned`, { hint: 'roll it back instead' });
  }
  await session.record(session.event('release.abandoned', release.version, { reason: options.reason ?? null, state: release.state }));
  if (options.json) printJson(ctx.stdout, { version: release.version, state: 'abandoned', reason: options.reason ?? null });
  else {
    const cut = release.phases.build.state === 'succeeded' ? ` Its tag ${release.tag} and release commit stay in git.` : '';
    ctx.stdout.write(`Abandoned ${release.version}${options.reason ? `: ${options.reason}` : ''}.${cut}\nNext: relmgr plan\n`);
  }
  return 0;
}
