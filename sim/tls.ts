// A self-signed certificate made at start for --tls, as CIC makes its own. selfsigned is loaded only when TLS is
// asked for, so the plain-HTTP simulator does not pay for it.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

export interface Certificate {
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, uppercase colon hex (AB:CD:...), as browsers show it. */
  fingerprint256: string;
}

type AltName = { type: 2; value: string } | { type: 7; ip: string };

function altNames(host: string): AltName[] {
  const names = new Map<string, AltName>();
  for (const name of [host, '127.0.0.1', 'localhost']) {
    if (name === '' || name === '0.0.0.0' || name === '::') continue;
    names.set(name, isIP(name) ? { type: 7, ip: name } : { type: 2, value: name });
  }
  return [...names.values()];
}

export async function createCertificate(host: string): Promise<Certificate> {
  const { generate } = await import('selfsigned');
  const commonName = host === '' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNames(host) },
    ],
  });
  return { key: pems.private, cert: pems.cert, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}
