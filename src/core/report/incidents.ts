import type { Deployment } from '../lifecycle/deployments.js';
import type { Report } from './model.js';

export type Incident = Report['incidents'][number];

/** A production-tier deploy, judged by what came after it in its environment. */
export interface JudgedDeploy {
  deploy: Deployment;
  /** Failed, or succeeded and then rolled back or replaced by an emergency release. */
  failed: boolean;
  /** The failure and its restore, when it failed. */
  incident: Incident | null;
}

/**
 * Every production-tier deploy of the history (`production`: which summaries are production-tier),
 * oldest first, judged:
 * - a `deploy.failed` is a failure, from its time;
 * - a `deploy.succeeded` is a failure when, in that environment, a rollback of that release, or a
 *   succeeded deploy of another emergency-track release, comes before the next succeeded deploy of a
 *   normal (not emergency) release — from the time it succeeded: how long the bad change was live;
 * - a failure is restored at the first later `rollback.succeeded` or succeeded deploy there.
 */
export function judgeDeploys(history: readonly Deployment[], emergency: (release: string) => boolean, production: (d: Deployment) => boolean): JudgedDeploy[] {
  const byEnv = new Map<string, Deployment[]>();
  for (const d of history) {
    const list = byEnv.get(d.env) ?? [];
    list.push(d);
    byEnv.set(d.env, list);
  }
  const judged: JudgedDeploy[] = [];
  for (const list of byEnv.values()) {
    list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    list.forEach((deploy, i) => {
      if (deploy.kind !== 'deploy' || !production(deploy)) return;
      const later = list.slice(i + 1);
      const failed = deploy.outcome === 'failed' || replaced(deploy, later, emergency);
      if (!failed) return judged.push({ deploy, failed, incident: null });
      const restore = later.find((d) => d.outcome === 'succeeded');
      const by: Incident['by'] = restore === undefined ? null : restore.kind === 'rollback' ? 'rollback' : emergency(restore.release) ? 'emergency' : 'deploy';
      return judged.push({ deploy, failed, incident: { env: deploy.env, release: deploy.release, failedAt: deploy.at, restoredAt: restore?.at ?? null, by } });
    });
  }
  return judged.sort((a, b) => (a.deploy.at < b.deploy.at ? -1 : a.deploy.at > b.deploy.at ? 1 : 0));
}

/** A succeeded deploy rolled back, or replaced by an emergency release, before a normal release succeeded there. */
function replaced(deploy: Deployment, later: readonly Deployment[], emergency: (release: string) => boolean): boolean {
  for (const d of later) {
    if (d.kind === 'rollback' && d.release === deploy.release) return true;
    if (d.kind !== 'deploy' || d.outcome !== 'succeeded') continue;
    if (emergency(d.release) && d.release !== deploy.release) return true;
    if (!emergency(d.release)) return false;
  }
  return false;
}
