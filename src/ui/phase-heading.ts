import type { Context } from '../context.js';
import { timestamp } from '../core/duration.js';
import { phaseLabel, type PhaseRef } from '../core/lifecycle/phases.js';

/** The heading of a phase's progress on stderr: `▸ deploy staging (1.2.0)`; timestamped without a terminal (CI logs). */
export function phaseHeading(ctx: Pick<Context, 'stderr' | 'wallClock'>, ref: PhaseRef, version: string, resumed = false): void {
  const text = `▸ ${phaseLabel(ref)} (${version})${resumed ? ', continued' : ''}`;
  ctx.stderr.write(ctx.stderr.isTTY === true ? `${text}\n` : `${timestamp(ctx.wallClock.now())}  ${text}\n`);
}
