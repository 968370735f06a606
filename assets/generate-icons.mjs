// Generates the tray icons and the app icon as real PNGs with nothing but node:zlib: `node assets/generate-icons.mjs`.
// The glyph is a telephone handset drawn from signed distance functions (crisp at every size, 4×4 supersampled), with
// a badge whose shape tells the state (so the monochrome macOS template images differ too) and whose colour tells it
// again on Windows and Linux. The PNGs are committed; run this again only to change the design.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

// ---- PNG encoding (RGBA, 8 bits per channel) ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- shapes as signed distance functions in a 0..1 square (negative inside) ----
const length = (x, y) => Math.hypot(x, y);
function capsule(px, py, ax, ay, bx, by, r) {
  const pax = px - ax, pay = py - ay, bax = bx - ax, bay = by - ay;
  const h = Math.max(0, Math.min(1, (pax * bax + pay * bay) / (bax * bax + bay * bay)));
  return length(pax - bax * h, pay - bay * h) - r;
}
const circle = (px, py, cx, cy, r) => length(px - cx, py - cy) - r;
function roundedBox(px, py, cx, cy, hw, hh, r) {
  const qx = Math.abs(px - cx) - hw + r, qy = Math.abs(py - cy) - hh + r;
  return length(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
function triangle(px, py, [ax, ay], [bx, by], [cx, cy]) {
  // Inside test by edge functions; distance approximated by the nearest edge (enough for a small badge).
  const edge = (x0, y0, x1, y1) => {
    const ex = x1 - x0, ey = y1 - y0;
    const t = Math.max(0, Math.min(1, ((px - x0) * ex + (py - y0) * ey) / (ex * ex + ey * ey)));
    return length(px - x0 - ex * t, py - y0 - ey * t);
  };
  const d = Math.min(edge(ax, ay, bx, by), edge(bx, by, cx, cy), edge(cx, cy, ax, ay));
  const s1 = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
  const s2 = (cx - bx) * (py - by) - (cy - by) * (px - bx);
  const s3 = (ax - cx) * (py - cy) - (ay - cy) * (px - cx);
  const inside = (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  return inside ? -d : d;
}

/** The handset: a curved handle between an earpiece (top left) and a mouthpiece (bottom right). */
function handset(px, py) {
  // Work in a frame rotated 45°: u along the handle (top left to bottom right), v across it (towards the bottom left).
  const cx = 0.42, cy = 0.42;
  const u = ((px - cx) + (py - cy)) / Math.SQRT2;
  const v = ((py - cy) - (px - cx)) / Math.SQRT2;
  const bend = v + 0.6 * u * u; // the handle bows towards the bottom left; the cups face the top right
  const handle = capsule(u, bend, -0.27, 0.08, 0.27, 0.08, 0.085);
  const ear = capsule(u, v, -0.3, 0.02, -0.25, -0.15, 0.105);
  const mouth = capsule(u, v, 0.3, 0.02, 0.25, -0.15, 0.105);
  return Math.min(handle, ear, mouth);
}

const BADGE = { x: 0.79, y: 0.79, r: 0.19 };
const badges = {
  signedOut: null,
  connecting: (px, py) => Math.abs(circle(px, py, BADGE.x, BADGE.y, BADGE.r * 0.72)) - BADGE.r * 0.22, // a ring
  connected: (px, py) => roundedBox(px, py, BADGE.x, BADGE.y, BADGE.r * 0.95, BADGE.r * 0.34, BADGE.r * 0.3), // a bar: no station
  station: (px, py) => circle(px, py, BADGE.x, BADGE.y, BADGE.r * 0.92), // a dot
  voicemail: (px, py) =>
    triangle(px, py, [BADGE.x - BADGE.r * 0.75, BADGE.y - BADGE.r], [BADGE.x - BADGE.r * 0.75, BADGE.y + BADGE.r], [BADGE.x + BADGE.r, BADGE.y]), // play
};

const COLOURS = {
  signedOut: [0x8b, 0x92, 0x9a],
  connecting: [0xe8, 0xa3, 0x17],
  connected: [0x3b, 0x82, 0xf6],
  station: [0x22, 0xa0, 0x5b],
  voicemail: [0xe5, 0x48, 0x4d],
};

/** Coverage of a shape in one pixel, 4×4 supersampled. */
function coverage(sdf, x, y, size) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++)
    for (let sx = 0; sx < 4; sx++) if (sdf((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size) <= 0) hits++;
  return hits / 16;
}

export function render(size, paint) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = paint(x, y, size);
      const i = (y * size + x) * 4;
      rgba[i] = r;
      rgba[i + 1] = g;
      rgba[i + 2] = b;
      rgba[i + 3] = Math.round(Math.max(0, Math.min(1, a)) * 255);
    }
  return encodePng(size, size, rgba);
}

/** Source-over compositing of (colour, alpha) layers onto transparent. */
function over(layers) {
  let r = 0, g = 0, b = 0, a = 0;
  for (const [[lr, lg, lb], la] of layers) {
    if (la <= 0) continue;
    const out = la + a * (1 - la);
    r = (lr * la + r * a * (1 - la)) / out;
    g = (lg * la + g * a * (1 - la)) / out;
    b = (lb * la + b * a * (1 - la)) / out;
    a = out;
  }
  return [Math.round(r), Math.round(g), Math.round(b), a];
}

export function trayIcon(state, template) {
  const badge = badges[state];
  const colour = template ? [0, 0, 0] : COLOURS[state];
  const dim = state === 'signedOut' ? 0.5 : 1;
  // The handset is cut away around the badge so the two never touch.
  const glyph = (px, py) => (badge ? Math.max(handset(px, py), -(circle(px, py, BADGE.x, BADGE.y, BADGE.r + 0.07))) : handset(px, py));
  return (x, y, size) => {
    const g = coverage(glyph, x, y, size);
    const b = badge ? coverage(badge, x, y, size) : 0;
    if (template) return [0, 0, 0, Math.min(1, g * dim + b)];
    // A thin white halo keeps the coloured glyph readable on dark and light taskbars alike.
    const halo = coverage((px, py) => Math.min(glyph(px, py), badge ? badge(px, py) : 1) - 0.045, x, y, size);
    return over([
      [[255, 255, 255], halo * 0.85 * dim],
      [colour, g * dim],
      [colour, b],
    ]);
  };
}

function appIcon() {
  const background = (px, py) => roundedBox(px, py, 0.5, 0.5, 0.44, 0.44, 0.11);
  const glyph = (px, py) => {
    const s = (p) => 0.5 + (p - 0.5) / 0.78; // the handset at 78% inside the tile
    return Math.max(handset(s(px), s(py)), -circle(s(px), s(py), BADGE.x, BADGE.y, BADGE.r + 0.07));
  };
  const dot = (px, py) => {
    const s = (p) => 0.5 + (p - 0.5) / 0.78;
    return circle(s(px), s(py), BADGE.x, BADGE.y, BADGE.r * 0.92);
  };
  return (x, y, size) =>
    over([
      [[0x1f, 0x4e, 0x8c], coverage(background, x, y, size)],
      [[255, 255, 255], coverage(glyph, x, y, size)],
      [COLOURS.station, coverage(dot, x, y, size)],
    ]);
}

/**
 * An ICO holding PNG images (Windows Vista and later read them): Windows picks the size for the tray's DPI itself, where
 * a PNG would be scaled from one size.
 */
export function encodeIco(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...pngs.map(({ png }) => png)]);
}

function write(path, png) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  console.log(`${path.slice(here.length + 1)}  ${png.length} bytes`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const state of Object.keys(COLOURS)) {
    for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
      write(join(here, 'tray', `${state}${suffix}.png`), render(size, trayIcon(state, false)));
      write(join(here, 'tray', `${state}Template${suffix}.png`), render(size, trayIcon(state, true)));
    }
    // Windows: 16 px at 100 %, 20 at 125 %, 24 at 150 %, 32 at 200 %.
    write(join(here, 'tray', `${state}.ico`), encodeIco([16, 20, 24, 32].map((size) => ({ size, png: render(size, trayIcon(state, false)) }))));
  }
  write(join(here, 'icon.png'), render(512, appIcon()));
}
