/**
 * What a notification looks like on the wire (pure): relmgr's own JSON document, a Slack
 * incoming-webhook message, or a Teams (Workflows webhook) message carrying an Adaptive Card.
 */
import type { Announcement } from './announce.js';

export const NOTIFICATION_SCHEMA = 'relmgr/notification/v1';

/** The `json` format, also what a `run:` command gets on stdin. */
export interface NotificationDocument {
  schema: typeof NOTIFICATION_SCHEMA;
  event: Announcement['event'];
  project: string;
  release: Announcement['release'];
  env?: string;
  actor: Announcement['actor'];
  at: string;
  summary: string;
  gate?: NonNullable<Announcement['gate']>;
  /** The target's id (a short hash of its webhook or command as written). */
  target?: string;
}

export function notificationDocument(a: Announcement, project: string, target?: string): NotificationDocument {
  return {
    schema: NOTIFICATION_SCHEMA,
    event: a.event,
    project,
    release: a.release,
    ...(a.env !== undefined ? { env: a.env } : {}),
    actor: a.actor,
    at: a.at,
    summary: a.summary,
    ...(a.gate ? { gate: a.gate } : {}),
    ...(target !== undefined ? { target } : {}),
  };
}

/** Slack mrkdwn: &, < and > are the only characters to escape. */
const slackEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Adaptive Card markdown (TextBlock, a fact's title and value): a backslash before every character
 * that could make a link, an autolink or emphasis, so text people wrote (a comment, a name) shows as written.
 */
export const cardEscape = (text: string): string => text.replace(/[\\`*_~[\]<>]/g, (c) => `\\${c}`);

const facts = (a: Announcement): [string, string][] => [
  ['Release', `${a.release.version} (${a.release.tag}, ${a.release.track} track)`],
  ...(a.env !== undefined ? ([['Environment', a.env]] as [string, string][]) : []),
  ['By', a.actor.email || a.actor.name],
  ['At', a.at],
  ...(a.gate ? ([['Who can decide', a.gate.who.join(', ') || 'nobody yet'], ['Command', a.gate.command]] as [string, string][]) : []),
];

/**
 * Slack: text people wrote (the summary carries a comment, a name) is `plain_text`, which Slack
 * never reads as mrkdwn (no formatting, links or mentions); only relmgr's own text is mrkdwn.
 */
export function slackMessage(a: Announcement): { text: string; blocks: unknown[] } {
  const plain = (text: string): { type: 'plain_text'; text: string; emoji: false } => ({ type: 'plain_text', text, emoji: false });
  return {
    // The notification's fallback (and what a phone shows) is mrkdwn: &, < and > escaped.
    text: slackEscape(a.summary),
    blocks: [
      { type: 'section', text: plain(a.summary) },
      { type: 'section', fields: facts(a).filter(([name]) => name !== 'Command').map(([name, value]) => plain(`${name}\n${value}`)) },
      ...(a.gate ? [{ type: 'section', text: { type: 'mrkdwn', text: `\`${slackEscape(a.gate.command)}\`` } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `relmgr · ${a.event}` }] },
    ],
  };
}

export function teamsMessage(a: Announcement): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            // A TextRun is never read as markdown: the summary (a comment in it too) shows as written.
            { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: a.summary, weight: 'Bolder', size: 'Medium' }] },
            { type: 'FactSet', facts: facts(a).map(([title, value]) => ({ title, value: cardEscape(value) })) },
          ],
        },
      },
    ],
  };
}

/** The body a target gets, as JSON text. */
export function payload(format: 'json' | 'slack' | 'teams', a: Announcement, project: string, target?: string): string {
  if (format === 'slack') return JSON.stringify(slackMessage(a));
  if (format === 'teams') return JSON.stringify(teamsMessage(a));
  return JSON.stringify(notificationDocument(a, project, target));
}
