import { describe, expect, it } from 'vitest';
import { isSecretName, Redactor, redactSecrets, redactUrlCredentials, secretValues } from '../../src/core/redact.js';

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

describe('token shapes, without any variable', () => {
  const gh = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  it.each([
    [`token ghp_${gh} used`, 'token *** used'],
    [`gho_${gh} ghu_${gh} ghs_${gh} ghr_${gh}`, '*** *** *** ***'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXY', '***'],
    ['PRIVATE-TOKEN: glpat-xxxxXXXX1234yyyyZZZZ', 'PRIVATE-TOKEN: ***'],
    [`//registry.npmjs.org/:_authToken=npm_${gh}`, '//registry.npmjs.org/:_authToken=***'],
    ['slack xoxb-1234567890-abcdefghij and xoxp-12345-67890-abc', 'slack *** and ***'],
    ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_access_key_id = ***'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text, [])).toBe(expected);
  });

  it.each([['ghp_short'], ['the github_pat_ prefix alone'], ['AKIA in a sentence'], ['npm_install'], ['xoxb-short'], ['GHP_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8']])('leaves %s alone', (text) => {
    expect(redactSecrets(text, [])).toBe(text);
  });
});

describe('variable names', () => {
  it.each(['GITHUB_TOKEN', 'SENTRY_DSN', 'SLACK_WEBHOOK_URL', 'DEPLOY_KEY', 'SSH_PRIVATE_KEY', 'GCP_CREDENTIALS', 'SESSION_SECRET', 'APP_SESSION', 'MAPS_KEY', 'DB_PASSWORD', 'COOKIE_SECRET', 'AWS_SECRET_ACCESS_KEY', 'KEY'])(
    '%s is a secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );

  it.each(['AWS_ACCESS_KEY_ID', 'KMS_KEY_ID', 'SSH_KEYS_PATH', 'SIGNING_KEY_PATH', 'GPG_KEY_FILE', 'KEYBOARD_LAYOUT', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'XDG_SESSION_TYPE', 'DBUS_SESSION_BUS_ADDRESS', 'SSH_AUTH_SOCK', 'PATH', 'HOME', 'CI'])(
    '%s is not',
    (name) => expect(isSecretName(name)).toBe(false),
  );

  it('takes extra names from the config', () => {
    expect(isSecretName('DEPLOY_HOOK_URL')).toBe(false);
    expect(isSecretName('DEPLOY_HOOK_URL', ['DEPLOY_HOOK_URL'])).toBe(true);
    expect(secretValues({ DEPLOY_HOOK_URL: 'https://hooks.example/abc123' }, ['DEPLOY_HOOK_URL'])).toEqual(['https://hooks.example/abc123']);
  });
});

describe('encoded forms', () => {
  it('masks a secret URL-encoded, with %20 or + for spaces, in either case of hex', () => {
    const secret = 'p@ss w/rd:42';
    expect(redactSecrets('q=p%40ss%20w%2Frd%3A42&x', [secret])).toBe('q=***&x');
    expect(redactSecrets('q=p%40ss+w%2Frd%3A42', [secret])).toBe('q=***');
    expect(redactSecrets('q=p%40ss%20w%2frd%3a42', [secret])).toBe('q=***');
    expect(redactSecrets('raw p@ss w/rd:42', [secret])).toBe('raw ***');
  });
});

describe('Redactor', () => {
  it('masks the environment, then also the variables named later', () => {
    const r = new Redactor({ API_TOKEN: 'tok-123456', DEPLOY_HOOK: 'hook-abcdef' });
    expect(r.redact('tok-123456 hook-abcdef')).toBe('*** hook-abcdef');
    r.addNames(['DEPLOY_HOOK']);
    expect(r.redact('tok-123456 hook-abcdef')).toBe('*** ***');
    expect(r.extraNames).toEqual(['DEPLOY_HOOK']);
  });
});
