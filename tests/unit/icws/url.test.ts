import { describe, expect, it } from 'vitest';
import { hostPortOf, normalizeServerUrl, withHost } from '../../../main/icws/url';

const base = (input: string) => {
  const result = normalizeServerUrl(input);
  if (!result.ok) throw new Error(result.message);
  return result.base;
};
const refusal = (input: string) => {
  const result = normalizeServerUrl(input);
  if (result.ok) throw new Error(`accepted ${input}`);
  return result.message;
};

describe('normalizeServerUrl', () => {
  it('gives a bare host https and the ICWS port 8019', () => {
    expect(base('cic1')).toBe('https://cic1:8019');
    expect(base('  CIC1.example.com ')).toBe('https://cic1.example.com:8019');
    expect(base('10.0.0.5')).toBe('https://10.0.0.5:8019');
    expect(base('[::1]')).toBe('https://[::1]:8019');
  });

  it('keeps a typed port; 8018 without a scheme is the plain-HTTP port', () => {
    expect(base('cic1:9443')).toBe('https://cic1:9443');
    expect(base('cic1:8018')).toBe('http://cic1:8018');
  });

  it('takes a URL with a scheme as typed, including web-proxy paths', () => {
    expect(base('https://cic1:8019/')).toBe('https://cic1:8019');
    expect(base('https://proxy.example.com/api/cic1/')).toBe('https://proxy.example.com/api/cic1');
    expect(base('proxy.example.com/api/cic1')).toBe('https://proxy.example.com/api/cic1');
    expect(base('http://127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
  });

  it('drops a pasted /icws or /icws/connection', () => {
    expect(base('https://cic1:8019/icws/connection')).toBe('https://cic1:8019');
    expect(base('https://host/api/cic1/icws')).toBe('https://host/api/cic1');
  });

  it('refuses what is not a server address with a sentence', () => {
    expect(refusal('')).toMatch(/Enter the address/);
    expect(refusal('cic 1')).toMatch(/spaces/);
    expect(refusal('ftp://cic1')).toMatch(/https:\/\//);
    expect(refusal('https://agent:secret@cic1')).toMatch(/user name and password/);
    expect(refusal('https://cic1:8019/?a=1')).toMatch(/\? or #/);
    expect(refusal('https://cic1:99999')).toMatch(/not a server address/);
  });
});

describe('host helpers', () => {
  it('hostPortOf makes the default port explicit', () => {
    expect(hostPortOf('https://cic1:8019')).toBe('cic1:8019');
    expect(hostPortOf('https://proxy/api/cic1')).toBe('proxy:443');
    expect(hostPortOf('http://cic1')).toBe('cic1:80');
  });

  it('withHost keeps scheme, port and path', () => {
    expect(withHost('https://cic1:8019', 'cic2')).toBe('https://cic2:8019');
    expect(withHost('https://proxy:443/api/cic1', 'proxy2')).toBe('https://proxy2/api/cic1');
  });
});
