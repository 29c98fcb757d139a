import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { interruptibleSleep } from '../../src/adapters/clock.js';
import type { Context } from '../../src/context.js';
import { postWebhook } from '../../src/engine/notify-delivery.js';
import { counted, failureWarnings } from '../../src/engine/notifier.js';

const ready = { target: { id: 'abcd1234', spec: { webhook: 'https://hooks.example.com/x', format: 'json' as const, on: ['planned' as const] } }, kind: 'webhook' as const, url: 'https://hooks.example.com/services/secret', format: 'json' as const };

/** A context whose http port answers `answers` in turn (a number: that status; an Error: nothing answered). */
function scripted(answers: (number | Error)[]): { ctx: Context; slept: number[]; posts: number } {
  const state = { slept: [] as number[], posts: 0 };
  const ctx = {
    sleep: async (ms: number) => void state.slept.push(ms),
    http: {
      postJson: async () => {
        state.posts += 1;
        const next = answers.shift() ?? 200;
        if (next instanceof Error) throw next;
        return { status: next };
      },
    },
  } as unknown as Context;
  return Object.assign(state, { ctx });
}

const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

describe('webhook delivery', () => {
  it.each([
    ['2xx at once', [204], { ok: true, attempts: 1 }, []],
    ['500 then 200', [500, 200], { ok: true, attempts: 2 }, [1000]],
    ['429 and 408 are retried', [429, 408, 200], { ok: true, attempts: 3 }, [1000, 4000]],
    ['a 404 is not retried', [404], { ok: false, attempts: 1, error: 'hooks.example.com answered 404' }, []],
    ['500 three times', [500, 502, 503], { ok: false, attempts: 3, error: 'hooks.example.com answered 503' }, [1000, 4000]],
    ['connection refused', [refused, refused, refused], { ok: false, attempts: 3, error: 'hooks.example.com: connection refused' }, [1000, 4000]],
  ] as const)('%s', async (_, answers, result, waits) => {
    const run = scripted([...answers]);
    expect(await postWebhook(run.ctx, ready, '{}')).toEqual(result);
    expect(run.slept).toEqual(waits);
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('continues a hand-off where the command stopped (attempts already made count)', async () => {
    const run = scripted([500, 200]);
    expect(await postWebhook(run.ctx, ready, '{}', { done: 1 })).toEqual({ ok: true, attempts: 3 });
    expect(run.slept).toEqual([1000, 4000]);
  });

  it('stops when the command ends, saying what is left', async () => {
    const abort = new AbortController();
    const run = scripted([500]);
    const ctx = { ...run.ctx, sleep: async () => abort.abort() } as Context;
    expect(await postWebhook(ctx, ready, '{}', { signal: abort.signal })).toEqual({ ok: false, attempts: 1, error: 'hooks.example.com answered 500', unfinished: true });
  });
});

describe('what the command end says about failures', () => {
  const owed = (target: string, summary: string, at: string) => ({ key: `${target}:${at}`, target: { id: target, spec: ready.target.spec }, announcement: { source: at, event: 'deployed' as const, release: { version: '1.0.0', tag: 'v1.0.0', track: 'normal' }, actor: { name: 'A', email: 'a@example.com' }, at, summary } });
  it('each error once, counted when repeated', () => {
    expect(counted(['h: no answer', 'h: no answer', 'h: answered 500', 'h: no answer'])).toBe('h: no answer ×3; h: answered 500');
    expect(counted(['h: connection refused'])).toBe('h: connection refused');
  });
  it('one warning per target: its one notification, or how many and the earliest', () => {
    const failures = [
      { owed: owed('aaaa0000', 'second', '2026-11-30T10:00:02Z'), error: 'a.example.com: connection refused', attempts: 3 },
      { owed: owed('bbbb0000', 'only', '2026-11-30T10:00:00Z'), error: 'b.example.com answered 404', attempts: 1 },
      { owed: owed('aaaa0000', 'first', '2026-11-30T10:00:01Z'), error: 'a.example.com: connection refused', attempts: 3 },
      { owed: owed('aaaa0000', 'third', '2026-11-30T10:00:03Z'), error: 'a.example.com answered 500', attempts: 2 },
    ];
    expect(failureWarnings(failures, (t) => (t.id === 'aaaa0000' ? 'a.example.com' : 'b.example.com'))).toEqual([
      'could not notify a.example.com (a.example.com: connection refused ×2; a.example.com answered 500): 3 notifications (the first: first)',
      'could not notify b.example.com (b.example.com answered 404, 1 attempt): only',
    ]);
  });
});

describe('a backoff wait', () => {
  const sigints = process.listenerCount('SIGINT');
  it('leaves no listener on the signal it was given, however it ends', async () => {
    const abort = new AbortController();
    await interruptibleSleep(0, abort.signal);
    await interruptibleSleep(0, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    const waiting = interruptibleSleep(60_000, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(1);
    abort.abort();
    await waiting;
    expect(process.listenerCount('SIGINT')).toBe(sigints);
  });

  it('many waits at once (a backoff per webhook down) share one SIGINT and one SIGTERM listener; a signal ends them all', async () => {
    const sigterms = process.listenerCount('SIGTERM');
    const stops = Array.from({ length: 15 }, () => new AbortController());
    const waits = stops.map((stop) => interruptibleSleep(60_000, stop.signal));
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([sigints + 1, sigterms + 1]);
    for (const stop of stops) stop.abort();
    await Promise.all(waits);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([sigints, sigterms]);
    const stopped = Array.from({ length: 3 }, () => interruptibleSleep(60_000).catch((error: Error) => error.message));
    process.emit('SIGTERM', 'SIGTERM');
    expect(await Promise.all(stopped)).toEqual(Array.from({ length: 3 }, () => 'stopped while waiting (SIGTERM): nothing else was changed'));
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([sigints, sigterms]);
  });
});
