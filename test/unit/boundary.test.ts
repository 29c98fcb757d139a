import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { Redactor } from '../../src/core/redact.js';
import { guardOutput } from '../../src/ui/boundary.js';
import { capture } from '../helpers/context.js';

function guarded(options: { json: boolean; styledStderr: boolean }) {
  const stdout = capture(true);
  const stderr = Object.assign(capture(true), { columns: 80 });
  const secrets = new Redactor({ API_TOKEN: 'tok-123456' });
  const ctx = guardOutput({ stdout, stderr, secrets } as unknown as Context, { redact: secrets.redact, ...options });
  return { ctx, stdout, stderr };
}

describe('the output boundary', () => {
  it('masks secrets and strips controls from text on both streams', () => {
    const { ctx, stdout, stderr } = guarded({ json: false, styledStderr: false });
    ctx.stdout.write('a tok-123456 \x1b]0;t\x07b\n');
    ctx.stderr.write('\x1b[31merror\x1b[39m tok-123456\x07\n');
    expect(stdout.text).toBe('a *** b\n');
    expect(stderr.text).toBe('error ***\n');
  });

  it('keeps relmgr styling on a styled stderr, and JSON as it is on stdout (but masked)', () => {
    const { ctx, stdout, stderr } = guarded({ json: true, styledStderr: true });
    ctx.stdout.write('{"s": "tok-123456 \\u001b[2J"}\n');
    ctx.stderr.write('\r\x1b[2K\x1b[36m⠋\x1b[39m step\x1b]0;t\x07\n');
    expect(stdout.text).toBe('{"s": "*** \\u001b[2J"}\n');
    expect(stderr.text).toBe('\r\x1b[2K\x1b[36m⠋\x1b[39m step\n');
  });

  it('passes isTTY, columns and the raw stream (for prompts) through', () => {
    const { ctx, stderr } = guarded({ json: false, styledStderr: false });
    expect(ctx.stderr.isTTY).toBe(true);
    expect((ctx.stderr as { columns?: number }).columns).toBe(80);
    expect(ctx.stderr.raw).toBe(stderr);
  });
});
