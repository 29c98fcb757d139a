import type { Finding } from './finding.js';
import type { PathSegment } from './problems.js';
import { PLACEHOLDER_APPROVER } from './initial.js';
import type { Config, Gate } from './schema.js';
import { eligiblePeople, gateIds } from '../gates/ids.js';
import { gateLists } from '../gates/lists.js';
import { lintCalendars } from './lint-calendars.js';
import { lintDuplicateIds } from './lint-duplicates.js';
import { codeFreezeNames } from '../schedule.js';
import { lintSchedule } from './lint-schedule.js';
import { writtenWebhookProblem } from '../notify/webhook.js';

export type { Finding } from './finding.js';

/**
 * Names written in the file, valid or not: a freeze whose cron is wrong is reported once, for the
 * cron, and not again by each gate that names it.
 */
export interface Written {
  checks: string[];
  freezes: string[];
  windows: string[];
}

const keysAt = (raw: unknown, ...path: string[]): string[] => {
  let current = raw;
  for (const key of path) current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current !== null && typeof current === 'object' && !Array.isArray(current) ? Object.keys(current) : [];
};

/** The names under checks, calendars.freezes and calendars.windows of the file as parsed (before validation). */
export function writtenNames(raw: unknown): Written {
  return { checks: keysAt(raw, 'checks'), freezes: keysAt(raw, 'calendars', 'freezes'), windows: keysAt(raw, 'calendars', 'windows') };
}

function checkPrincipals(config: Config, principals: string | string[], path: PathSegment[], out: Finding[]): Set<string> {
  const { people, unknown } = eligiblePeople(config.groups, principals);
  for (const name of unknown) {
    const known = Object.keys(config.groups);
    out.push({ path, severity: 'error', message: `"${name}" is neither an email nor a group under groups${known.length ? ` (groups: ${known.join(', ')})` : ''}` });
  }
  return people;
}

function lintGate(config: Config, written: Written, gate: Gate, path: PathSegment[], out: Finding[]): void {
  const refs = (value: string | string[], where: Record<string, unknown>, also: string[], section: string, key: string): void => {
    const names = Array.isArray(value) ? value : [value];
    names.forEach((name, index) => {
      if (name in where || also.includes(name)) return; // defined (an invalid definition is reported where it is)
      const at = Array.isArray(value) ? [...path, key, index] : [...path, key];
      out.push({ path: at, severity: 'error', message: `no ${section} named "${name}" (defined: ${[...new Set([...Object.keys(where), ...also])].join(', ') || 'none'})` });
    });
  };
  if (gate.check !== undefined) refs(gate.check, config.checks, written.checks, 'check under checks', 'check');
  if (gate.window !== undefined) refs(gate.window, config.calendars.windows, written.windows, 'window under calendars.windows', 'window');
  if (gate.freeze !== undefined) refs(gate.freeze, config.calendars.freezes, [...written.freezes, ...codeFreezeNames(config)], 'freeze under calendars.freezes', 'freeze');
  const checklist = gate.checklist;
  if (checklist) {
    const seen = new Map<string, number>();
    checklist.items.forEach((item, index) => {
      const first = seen.get(item.id);
      if (first === undefined) seen.set(item.id, index);
      else out.push({ path: [...path, 'checklist', 'items', index, 'id'], severity: 'error', message: `checklist item id "${item.id}" is already used by items[${first}]: \`relmgr attest --checklist ${checklist.id} --item ${item.id}\` could only ever answer the first` });
    });
  }
  if (gate.checklist) checkPrincipals(config, gate.checklist.who, [...path, 'checklist', 'who'], out);
  if (gate.approval) {
    const approval = gate.approval;
    approval.rules.forEach((rule, index) => {
      const rulePath = [...path, 'approval', 'rules', index];
      const people = checkPrincipals(config, rule.from, [...rulePath, 'from'], out);
      if (people.size === 0) return;
      const plural = (n: number): string => `${n} ${n === 1 ? 'person is' : 'people are'}`;
      if (rule.min > people.size) {
        out.push({ path: [...rulePath, 'min'], severity: 'error', message: `needs ${rule.min} approval${rule.min === 1 ? '' : 's'} but only ${plural(people.size)} eligible: the gate could never pass` });
      }
      // min equal to everyone eligible passes unless one of them plans the release: plan says so then, for that release.
    });
  }
}

/** Everything the schema cannot say. `raw` is the file as parsed, to tell a missing name from an invalid definition. */
export function lintConfig(config: Config, raw?: unknown): Finding[] {
  const written = writtenNames(raw);
  const out: Finding[] = [];
  const envs = Object.keys(config.environments);
  const order = config.phases.deploy?.order ?? [];
  const seen = new Set<string>();
  order.forEach((name, index) => {
    const path: PathSegment[] = ['phases', 'deploy', 'order', index];
    if (!config.environments[name]) out.push({ path, severity: 'error', message: `"${name}" is not defined under environments (defined: ${envs.join(', ') || 'none'})` });
    if (seen.has(name)) out.push({ path, severity: 'error', message: `"${name}" appears more than once in the deploy order` });
    seen.add(name);
  });
  if (order.length > 0) {
    for (const name of envs) if (!seen.has(name)) out.push({ path: ['environments', name], severity: 'warning', message: `environment "${name}" is not in phases.deploy.order: it may be deployed to at any time, nothing is required before it` });
  }

  for (const [group, people] of Object.entries(config.groups)) {
    people.forEach((who, index) => {
      if (who.toLowerCase() === PLACEHOLDER_APPROVER) {
        out.push({ path: ['groups', group, index], severity: 'warning', message: `${who} is the placeholder relmgr init wrote: replace it with the people who approve` });
      }
    });
  }

  config.notify.forEach((target, index) => {
    const problem = 'webhook' in target ? writtenWebhookProblem(target.webhook) : null;
    if (problem !== null) out.push({ path: ['notify', index, 'webhook'], severity: 'error', message: problem });
  });

  const lists = gateLists(config);
  for (const list of lists) list.gates.forEach((gate, index) => lintGate(config, written, gate, [...list.path, index], out));
  lintDuplicateIds(lists, out);
  lintCalendars(config.calendars, out);
  lintSchedule(config, out);

  for (const [name, env] of Object.entries(config.environments)) {
    if (env.on_failure === 'rollback' && (env.rollback ?? []).length === 0) {
      out.push({ path: ['environments', name, 'on_failure'], severity: 'error', message: 'on_failure: rollback needs rollback steps under environments.' + name + '.rollback' });
    }
    if (env.tier === 'production' && ![...(env.entry ?? []), ...(env.exit ?? [])].some((gate) => gate.approval)) {
      out.push({ path: ['environments', name, 'tier'], severity: 'warning', message: 'a production-tier environment with no approval gate: anyone can deploy to it' });
    }
  }

  const emergency = config.tracks.emergency;
  if (emergency) {
    const production = new Set(Object.entries(config.environments).filter(([, env]) => env.tier === 'production').map(([name]) => name));
    emergency.skip.forEach((target, index) => {
      const path: PathSegment[] = ['tracks', 'emergency', 'skip', index];
      const [owner = '', side, gateId, ...extra] = target.split('.');
      if (owner === 'build' || target === 'phases.build' || target.startsWith('build.') || target.startsWith('phases.build.')) {
        out.push({ path, severity: 'error', message: 'the emergency track may not skip the build phase' });
        return;
      }
      if (production.has(owner) && side === 'exit') {
        out.push({ path, severity: 'error', message: `the emergency track may not skip the exit checks of production-tier environment "${owner}"` });
        return;
      }
      const list = lists.find((l) => l.skipName === `${owner}.${side ?? ''}`);
      if (!list || extra.length > 0) {
        out.push({ path, severity: 'error', message: `"${target}" names no gates: use <environment|phase>.<entry|exit>[.<gate id>], e.g. ${lists[0]?.skipName ?? 'staging.exit'}` });
        return;
      }
      if (gateId !== undefined && !list.gates.some((gate) => gateIds(gate).includes(gateId))) {
        const ids = list.gates.flatMap(gateIds);
        out.push({ path, severity: 'error', message: `${list.skipName} has no gate "${gateId}" (gates: ${ids.join(', ') || 'none'})` });
      }
    });
    emergency.override_freezes.forEach((name, index) => {
      if (!config.calendars.freezes[name] && !written.freezes.includes(name) && !codeFreezeNames(config).includes(name)) out.push({ path: ['tracks', 'emergency', 'override_freezes', index], severity: 'error', message: `no freeze named "${name}" under calendars.freezes` });
    });
    if (emergency.approval) checkPrincipals(config, emergency.approval.from, ['tracks', 'emergency', 'approval', 'from'], out);
  }
  return out;
}
