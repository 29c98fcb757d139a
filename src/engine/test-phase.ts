import type { PhaseAttempt } from '../core/lifecycle/fold.js';
import { failure, stepFailed, type CutInput } from './cut.js';
import { checkResumable, gateSteps, runSteps, toStepSpec, type PhaseStep, type ResumeDecision } from './phase.js';

export function testSteps(input: Pick<CutInput, 'config'>): PhaseStep[] {
  const { config } = input;
  return [
    ...gateSteps(config, config?.phases.test?.entry, 'phases.test.entry'),
    ...(config?.phases.test?.steps ?? []).map((step) => ({ spec: toStepSpec(step) })),
    ...gateSteps(config, config?.phases.test?.exit, 'phases.test.exit'),
  ];
}

/** The test phase: its steps, then its `check` exit gates; journaled like the build. */
export async function runTestPhase(input: CutInput, resume: { previous: PhaseAttempt; decision: ResumeDecision | undefined } | null): Promise<{ steps: number }> {
  const { session, release } = input;
  const steps = testSteps(input);
  checkResumable(resume?.previous ?? null, steps, resume?.decision);
  const where = { phase: 'test' as const };
  await session.record(session.event('phase.started', release.version, { resumed: resume !== null, host: session.here.host, pid: session.here.pid }, where));
  const { failed } = await runSteps({ session, release, phase: 'test', steps, previous: resume?.previous ?? null, decision: resume?.decision, stepContext: input.stepContext });
  if (failed) {
    const detail = failed.result.status === 'timed_out' ? 'timed out' : `failed (exit ${failed.result.exitCode ?? failed.result.signal ?? '?'})`;
    const error = stepFailed('test', failed.result.name, detail, failed.result.tail, failed.result.logFile);
    await session.record(session.event('phase.failed', release.version, { error: `step ${failed.result.name} ${detail}`, step: failed.index, ...failure(error) }, where));
    throw error;
  }
  await session.record(session.event('phase.succeeded', release.version, { steps: steps.length }, where));
  return { steps: steps.length };
}
