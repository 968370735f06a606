import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export type StaticFile = { status: 200; body: Buffer; type: string } | { status: 404 };

/** Reads a file of the built renderer; paths that try to leave its folder are simply not found. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 404 };
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = normalize(join(root, relative));
  if (!full.startsWith(normalize(root) + sep) || decoded.includes('\0')) return { status: 404 };
  try {
    const body = await readFile(full);
    return { status: 200, body, type: TYPES[extname(full)] ?? 'application/octet-stream' };
  } catch {
    return { status: 404 };
  }
}
