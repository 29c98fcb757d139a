import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrlCredentials, secretValues } from '../../src/ui/redact.js';

describe('secretValues', () => {
  it('takes the values of variables named like secrets', () => {
    const env = {
      GITHUB_TOKEN: 'ghp_abcdefgh123',
      NPM_AUTH_TOKEN: 'npm_0123456789',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
      DB_PASSWORD: 'hunter22',
      SMTP_PASSWD: 'passwd-value',
      SSH_PASS: 'pass-value',
      STRIPE_API_KEY: 'sk_live_1',
      OPENAI_APIKEY: 'sk-abcdef',
      SIGNING_PRIVATE_KEY: 'private-value',
      GOOGLE_CREDENTIALS: '{"type":"x"}',
      http_authorization: 'Bearer abcdef',
      PATH: '/usr/bin:/bin',
      HOME: '/home/someone',
      VERSION: '1.4.0-secretive',
    };
    const expected = ['ghp_abcdefgh123', 'npm_0123456789', 'wJalrXUtnFEMI', 'hunter22', 'passwd-value', 'pass-value', 'sk_live_1', 'sk-abcdef'];
    expected.push('private-value', '{"type":"x"}', 'Bearer abcdef');
    expect(secretValues(env).sort()).toEqual(expected.sort());
  });

  it('skips short, empty and undefined values, and git author identities', () => {
    const env = { SKIP_AUTH: 'true', TOKEN: '12345', SECRET: '      ', API_KEY: undefined, GIT_AUTHOR_NAME: 'Test Author', GIT_AUTHOR_EMAIL: 'a@example.com' };
    expect(secretValues(env)).toEqual([]);
  });

  it('orders the longest first, without duplicates, and splits multi-line values into lines', () => {
    expect(secretValues({ A_TOKEN: 'abcdef', B_TOKEN: 'abcdefghij', C_TOKEN: 'abcdef' })).toEqual(['abcdefghij', 'abcdef']);
    const pem = '-----BEGIN KEY-----\nMIIEvQIBADANBg\nab\n-----END KEY-----\n';
    expect(secretValues({ PRIVATE_KEY: pem })).toEqual([pem.trim(), '-----BEGIN KEY-----', '-----END KEY-----', 'MIIEvQIBADANBg']);
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence with ***', () => {
    expect(redactSecrets('a ghp_abcdefgh123 b ghp_abcdefgh123', ['ghp_abcdefgh123'])).toBe('a *** b ***');
  });

  it('replaces the longest secret first, whatever the order given', () => {
    expect(redactSecrets('key=abcdef123456', ['abcdef', 'abcdef123456'])).toBe('key=***');
  });

  it('takes secrets literally, not as patterns', () => {
    expect(redactSecrets('p=a.b*c+d$ and aXbbbcd', ['a.b*c+d$'])).toBe('p=*** and aXbbbcd');
  });

  it('also hides credentials in URLs', () => {
    expect(redactSecrets('push https://x-access-token:ghs_zz@github.com/a/b.git', [])).toBe('push https://***@github.com/a/b.git');
  });

  it('leaves text without secrets alone', () => {
    expect(redactSecrets('nothing here', ['abcdef'])).toBe('nothing here');
    expect(redactSecrets('', [])).toBe('');
  });
});

describe('redactUrlCredentials', () => {
  it('keeps its behaviour', () => {
    expect(redactUrlCredentials('https://user:pw@host/x and ssh://git@host/y')).toBe('https://***@host/x and ssh://***@host/y');
  });
});
