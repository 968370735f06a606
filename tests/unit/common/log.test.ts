import { describe, expect, it } from 'vitest';
import { createLogger, SecretRegistry, type LogRecord } from '../../../main/common/log';

describe('the logger', () => {
  it('redacts registered secret values anywhere in a line, and secret-named fields', () => {
    const secrets = new SecretRegistry();
    const lines: LogRecord[] = [];
    const log = createLogger({ sink: (record) => lines.push(record), secrets, level: 'debug' });
    secrets.add('s3cr3t-csrf');
    log.debug('sent token s3cr3t-csrf to server', {
      headers: { 'ININ-ICWS-CSRF-Token': 'anything', cookie: 'icws_1=abc' },
      nested: [{ note: 'prefix s3cr3t-csrf suffix' }],
      sipPassword: 'pw',
      password: undefined,
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('s3cr3t-csrf');
    expect(text).not.toContain('icws_1=abc');
    expect(lines[0]).toMatchObject({
      message: 'sent token [redacted] to server',
      fields: {
        headers: { 'ININ-ICWS-CSRF-Token': '[redacted]', cookie: '[redacted]' },
        nested: [{ note: 'prefix [redacted] suffix' }],
        sipPassword: '[redacted]',
      },
    });
  });

  it('keeps redacting retired secrets for a while, then forgets them, so the list stays bounded', () => {
    const secrets = new SecretRegistry();
    for (let i = 0; i < 1000; i++) {
      secrets.add(`csrf-token-${i}`);
      secrets.retire(`csrf-token-${i}`);
    }
    expect(secrets.size).toBe(SecretRegistry.RETIRED_KEPT);
    expect(secrets.redactText('late line about csrf-token-999')).toBe('late line about [redacted]');
    secrets.add('password-of-the-run');
    secrets.retire('never-registered');
    expect(secrets.redactText('password-of-the-run')).toBe('[redacted]');
  });

  it('redacts a short secret (a PIN) only where it stands alone, so phone numbers stay readable', () => {
    const secrets = new SecretRegistry();
    secrets.add('1234');
    expect(secrets.redactText('voicemail from +1 317 555 1234')).toBe('voicemail from +1 317 555 [redacted]');
    expect(secrets.redactText('voicemail from +13175551234')).toBe('voicemail from +13175551234');
    expect(secrets.redactText('{"password":"1234"} password=1234&x')).toBe('{"password":"[redacted]"} password=[redacted]&x');
    secrets.add('a.b*c');
    expect(secrets.redactText('pin a.b*c; not axb*c')).toBe('pin [redacted]; not axb*c');
  });

  it('drops lines below its level', () => {
    const lines: LogRecord[] = [];
    const log = createLogger({ sink: (record) => lines.push(record), level: 'warn' });
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((line) => line.message)).toEqual(['loud']);
  });
});

describe('redaction of encoded secrets', () => {
  const password = 'Pa"ss\\wörd<&>%1';
  const quoted = [
    ['JSON-escaped', JSON.stringify({ password })],
    ['JSON with non-ASCII escaped', JSON.stringify({ password }).replace('ö', '\\u00f6')],
    ['JSON with HTML-unsafe characters escaped', JSON.stringify({ password }).replace('<', '\\u003C').replace('&', '\\u0026').replace('>', '\\u003E')],
    ['URL-encoded', `password=${encodeURIComponent(password)}`],
    ['URL-encoded, lower-case hex', `password=${encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`],
    ['form-encoded', new URLSearchParams({ password }).toString()],
    ['HTML-escaped', `<p>${password.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</p>`],
    ['base64 (Basic authorization)', `Authorization: Basic ${Buffer.from(`agent1:${password}`).toString('base64')}`],
    ['base64 at the second alignment', Buffer.from(`a:${password}`).toString('base64')],
    ['base64 on its own', Buffer.from(password).toString('base64')],
    ['base64url', Buffer.from(`agent1:${password}`).toString('base64url')],
  ] as const;

  it.each(quoted)('takes the password out of text that quotes it %s', (_, text) => {
    const secrets = new SecretRegistry();
    secrets.add(password);
    const out = secrets.redactText(`a proxy said: ${text}`);
    expect(out).toContain('[redacted]');
    expect(out).not.toContain('ss%5C');
    expect(out).not.toMatch(/ss\\\\w|UGEic3Nc|BhInNzXHf|QYSJzc1x3/);
    expect(out).not.toContain('wörd');
  });

  it('leaves text that merely resembles a short secret alone', () => {
    const secrets = new SecretRegistry();
    secrets.add('1234');
    expect(secrets.redactText('call +13175551234 or MTIzNA')).toBe('call +13175551234 or MTIzNA');
  });
});
