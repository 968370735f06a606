import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../../main/icws/cookies';

describe('CookieJar', () => {
  it('sends the path-scoped session cookie only below its path, and registers its value as a secret', () => {
    const secrets: string[] = [];
    const jar = new CookieJar((value) => secrets.push(value));
    jar.store(new URL('https://cic1:8019/icws/connection'), ['icws_29113001=b9ff8b8d-1|languageId=en-us; Path=/icws/29113001; HttpOnly']);
    expect(jar.header(new URL('https://cic1:8019/icws/29113001/messaging/messages'))).toBe('icws_29113001=b9ff8b8d-1|languageId=en-us');
    expect(jar.header(new URL('https://cic1:8019/icws/29113002/messaging/messages'))).toBeUndefined();
    expect(jar.header(new URL('https://cic1:8019/icws/291130012/x'))).toBeUndefined();
    expect(jar.header(new URL('https://cic2:8019/icws/29113001/x'))).toBeUndefined();
    expect(secrets).toEqual(['b9ff8b8d-1|languageId=en-us', 'b9ff8b8d-1']);
  });

  it('matches the server path below a web-proxy base', () => {
    const jar = new CookieJar();
    jar.store(new URL('https://proxy/api/cic1/icws/connection'), ['icws_1=v; Path=/icws/1']);
    expect(jar.header(new URL('https://proxy/api/cic1/icws/1/connection'), '/api/cic1')).toBe('icws_1=v');
    expect(jar.header(new URL('https://proxy/api/cic1/icws/1/connection'))).toBeUndefined();
  });

  it('replaces a cookie of the same name and path, deletes an expired one, defaults the path', () => {
    const jar = new CookieJar();
    const url = new URL('https://cic1:8019/icws/connection');
    jar.store(url, ['a=1; Path=/icws', 'b=2']);
    jar.store(url, ['a=3; Path=/icws']);
    expect(jar.header(new URL('https://cic1:8019/icws/x'))?.split('; ').sort()).toEqual(['a=3', 'b=2']);
    jar.store(url, ['a=; Path=/icws; Max-Age=0']);
    expect(jar.header(new URL('https://cic1:8019/icws/x'))).toBe('b=2');
    jar.clear();
    expect(jar.size).toBe(0);
  });
});
