import type { Actor } from '../core/lifecycle/events.js';
import { PreconditionError } from '../errors.js';
import type { Prepared } from './config.js';

/** Who does what: git's own answer (user.name/user.email, or GIT_COMMITTER_NAME/EMAIL); required to record. */
export async function identity(prepared: Prepared, required: boolean): Promise<Actor> {
  // git's own answer: user.name/user.email, or GIT_COMMITTER_NAME/EMAIL in the environment.
  const ident = await prepared.git.committer();
  const name = ident?.name;
  const email = ident?.email;
  if ((!email || !name) && required) {
    throw new PreconditionError('E_NO_IDENTITY', 'relmgr records who did what, and git has no user.name/user.email here', {
      hint: 'set them: git config user.name "Your Name" && git config user.email you@example.com',
    });
  }
  return { name: name ?? 'unknown', email: email ?? '' };
}
