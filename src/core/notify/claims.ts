import type { LedgerEvent } from '../lifecycle/events.js';

/**
 * The notification keys claimed in the ledger (`notification.claimed`): what was announced, or is
 * being, and since when notifications have been on (the earliest claim read).
 */
export class Claims {
  readonly keys = new Set<string>();
  since: string | null = null;

  add(event: LedgerEvent): void {
    if (event.type !== 'notification.claimed') return;
    const keys: unknown[] = Array.isArray(event.data.keys) ? event.data.keys : [event.data.key];
    for (const key of keys) if (typeof key === 'string') this.keys.add(key);
    if (this.since === null || event.at < this.since) this.since = event.at;
  }

  clear(): void {
    this.keys.clear();
    this.since = null;
  }
}
