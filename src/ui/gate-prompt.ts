import { gateLabel } from '../core/gates/address.js';
import type { PromptPort } from '../adapters/prompts.js';
import type { Context } from '../context.js';
import { when } from '../core/lifecycle/next.js';
import { sanitizeTerminalText } from '../core/terminal-text.js';
import type { GateAnswer, GateQuestion } from '../engine/gate-keeper.js';
import { missingItems } from '../engine/gates-held.js';

interface Reason {
  hash?: unknown;
  type?: unknown;
  scope?: unknown;
  subject?: unknown;
  bump?: unknown;
  breaking?: unknown;
}

const MAX_COMMITS = 12;

/** What a person should know before deciding: the version and why, its commits, the gates passed, who decided. */
export function gateBriefing(question: GateQuestion): string[] {
  const { release, gate, others } = question;
  const planned = release.planned;
  const reasons = (Array.isArray(planned.reasons) ? planned.reasons : []) as Reason[];
  const bump = typeof planned.bump === 'string' ? planned.bump : 'release';
  const asking = reasons.filter((r) => r.bump === bump || r.bump === 'release-as').length || reasons.length;
  const lines = [
    `${gate.at.kind === 'approval' ? 'Approval' : 'Checklist'} ${gate.at.id} (${gate.at.where}) for ${release.version}${release.track === 'emergency' ? ' — emergency track' : ''}`,
    `  planned by ${release.initiator.name} <${release.initiator.email}> at ${when(release.plannedAt)} from ${release.previousVersion ?? 'nothing'} at ${release.base.slice(0, 7)}`,
    `  why ${bump}: ${asking} commit${asking === 1 ? '' : 's'} ask${asking === 1 ? 's' : ''} for it${typeof planned.commits === 'number' ? ` (${planned.commits} commits in the release)` : ''}`,
  ];
  for (const r of reasons.slice(0, MAX_COMMITS)) {
    const scope = typeof r.scope === 'string' && r.scope ? `(${r.scope})` : '';
    lines.push(`    ${String(r.hash ?? '').slice(0, 7)} ${typeof r.type === 'string' ? r.type : ''}${scope}${r.breaking === true ? '!' : ''}: ${String(r.subject ?? '')}  → ${String(r.bump ?? '')}`);
  }
  if (reasons.length > MAX_COMMITS) lines.push(`    … ${reasons.length - MAX_COMMITS} more (relmgr notes shows them all)`);
  const passed = others.filter((o) => o.state.status === 'passed' || o.state.status === 'skipped');
  if (passed.length > 0) lines.push('  gates passed:', ...passed.map((o) => `    ✔ ${o.at.where}: ${gateLabel(o.at)} — ${o.state.reason}`));
  for (const d of gate.state.decisions ?? []) lines.push(`  ${d.decision}${d.item ? ` ${d.item}` : ''} by ${d.by.name} <${d.by.email}> at ${when(d.at)}${d.comment ? `: ${d.comment}` : ''}`);
  lines.push(`  now: ${gate.state.reason}`);
  return lines.map((line) => sanitizeTerminalText(line));
}

/**
 * Asks the person at the terminal about a human gate they may decide: an approval (approve, reject
 * with a comment, or not now), or each missing checklist item (yes, no, or not now).
 */
export function gatePrompt(ctx: Pick<Context, 'stderr'>, prompts: PromptPort): (question: GateQuestion) => Promise<GateAnswer> {
  return async (question) => {
    ctx.stderr.write(`\n${gateBriefing(question).join('\n')}\n\n`);
    const { at } = question.gate;
    if (at.kind === 'approval') {
      const decision = await prompts.select(`Approve ${question.release.version} (${at.id})?`, [
        { value: 'approve', name: 'Approve' },
        { value: 'reject', name: 'Reject (a comment is required)' },
        { value: 'later', name: 'Not now (leave it pending)' },
      ] as const);
      if (decision === 'later') return { kind: 'later' };
      const required = decision === 'reject';
      const comment = await prompts.text(required ? 'Why do you reject it?' : 'Comment (optional)', '', (value) => (!required || value.trim() !== '' ? true : 'a rejection needs a comment'));
      return { kind: 'approval', decision, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    }
    const answers: Extract<GateAnswer, { kind: 'checklist' }>['answers'] = [];
    for (const item of missingItems(question.gate)) {
      const answer = await prompts.select(`${item.text} (${item.id})`, [
        { value: 'yes', name: 'Yes' },
        { value: 'no', name: 'No (a comment is required)' },
        { value: 'later', name: 'Not now' },
      ] as const);
      if (answer === 'later') break;
      const comment = await prompts.text(answer === 'no' ? 'Why not?' : 'Evidence (a URL, optional)', '', (value) => (answer !== 'no' || value.trim() !== '' ? true : 'answering no needs a comment'));
      const text = comment.trim();
      answers.push({ item: item.id, answer, ...(text ? (answer === 'no' ? { comment: text } : { evidence: text }) : {}) });
      if (answer === 'no') break;
    }
    return answers.length > 0 ? { kind: 'checklist', answers } : { kind: 'later' };
  };
}
