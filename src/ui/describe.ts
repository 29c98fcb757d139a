import type { Config, Gate } from '../core/config/schema.js';
import { describeGate } from '../core/gates/describe.js';
import type { ParsedCommit } from '../core/commits.js';
import { DEFAULT_SECTIONS } from '../core/model.js';

export { describeGate };

function gates(label: string, list: Gate[] | undefined): string | null {
  return list && list.length > 0 ? `${label}: ${list.map(describeGate).join('; ')}` : null;
}

/** The phases and gates ahead of a release, one line each. */
export function describeLifecycle(config: Config | null): string[] {
  if (config === null) return ['build  no steps (no release.config.yaml): cut writes the changelog, commits and tags', 'test   no steps'];
  const lines: string[] = [];
  for (const name of ['plan', 'build', 'test'] as const) {
    const phase = config.phases[name];
    const steps = phase?.steps ?? [];
    const parts = [
      steps.length > 0 ? `${steps.length} step${steps.length === 1 ? '' : 's'}: ${steps.map((s) => s.name ?? s.run).join('; ')}` : name === 'plan' ? null : 'no steps',
      gates('entry', phase?.entry),
      gates('exit', phase?.exit),
    ].filter(Boolean);
    if (parts.length > 0) lines.push(`${name.padEnd(6)} ${parts.join(' · ')}`);
  }
  const order = config.phases.deploy?.order ?? [];
  for (const env of order) {
    const spec = config.environments[env];
    const parts = [spec?.tier ? `tier ${spec.tier}` : null, gates('entry', spec?.entry), gates('exit', spec?.exit)].filter(Boolean);
    lines.push(`deploy ${env}${parts.length ? `  ${parts.join(' · ')}` : ''}`);
  }
  const monitor = config.phases.monitor;
  if (monitor?.exit?.length) lines.push(`monitor ${gates('exit', monitor.exit)}`);
  return lines;
}

/** Commits grouped as the changelog groups them, plus a count of the rest. */
export function describeCommits(commits: readonly ParsedCommit[]): string[] {
  const lines: string[] = [];
  const shown = new Set<string>();
  const breaking = commits.filter((c) => c.breaking && !c.merge);
  if (breaking.length > 0) {
    lines.push('⚠ Breaking changes');
    for (const c of breaking) lines.push(`  ${c.shortHash} ${c.scope ? `${c.scope}: ` : ''}${c.subject}`);
  }
  for (const section of DEFAULT_SECTIONS) {
    const group = commits.filter((c) => !c.merge && c.type === section.type);
    if (group.length === 0) continue;
    group.forEach((c) => shown.add(c.hash));
    if (section.hidden) continue;
    lines.push(section.title);
    for (const c of group) lines.push(`  ${c.shortHash} ${c.scope ? `${c.scope}: ` : ''}${c.subject}`);
  }
  const rest = commits.filter((c) => !c.merge && !shown.has(c.hash) && !c.breaking);
  const hidden = commits.filter((c) => !c.merge && shown.has(c.hash) && DEFAULT_SECTIONS.find((s) => s.type === c.type)?.hidden);
  if (hidden.length + rest.length > 0) lines.push(`(${hidden.length + rest.length} more: docs, chores, tests and other commits that are not in the changelog)`);
  return lines;
}
