import type { Context } from '../context.js';
import type { StepReporter } from '../core/step-report.js';
import { createStepReporter, interruption } from './step-progress.js';
import { printJson, useColor } from './output.js';

/**
 * The steps' progress on stderr. Under --json an interruption is also the error document on stdout,
 * written at once (relmgr dies of the signal next) and instead of anything the command held back.
 */
export function progressReporter(ctx: Context, options: { json?: boolean; color?: boolean; verbose?: boolean }): StepReporter {
  const reporter = createStepReporter(ctx.stderr, { color: useColor(ctx.stderr, ctx.env, options.color), verbose: options.verbose === true });
  if (!options.json) return reporter;
  return {
    ...reporter,
    interrupted(name, phase, signal, idempotent) {
      reporter.interrupted?.(name, phase, signal, idempotent);
      const out = ctx.stdout.raw ?? ctx.stdout;
      printJson({ write: (text: string) => out.write(ctx.secrets.redact(text)) }, { error: { code: 'E_INTERRUPTED', ...interruption(name, phase, signal, idempotent), details: [] } });
    },
  };
}
