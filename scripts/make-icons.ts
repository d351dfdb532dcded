/**
 * Draws the Teams app icons (no image library needed): color.png 192x192 and outline.png 32x32
 * (white on transparent, as the Teams manifest requires). A flame split by a clear vertical band: a firebreak.
 * Run: node --import tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

type Pixel = [number, number, number, number];

function png(size: number, paint: (x: number, y: number) => Pixel): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const p = paint((x + 0.5) / size, (y + 0.5) / size);
      raw.set(p, y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A flame: a teardrop pointing up, in unit coordinates. */
function inFlame(x: number, y: number): boolean {
  const cx = 0.5;
  const bottom = 0.86;
  const r = 0.27;
  const cy = bottom - r;
  if (y >= cy) return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  const top = 0.12;
  const t = (y - top) / (cy - top); // 0 at the tip, 1 at the circle's centre
  return Math.abs(x - cx) <= r * Math.sqrt(Math.max(0, t)) * (0.6 + 0.4 * t);
}
const inBreak = (x: number) => Math.abs(x - 0.5) < 0.045;

const root = path.resolve(__dirname, '../appPackage');
writeFileSync(
  path.join(root, 'color.png'),
  png(192, (x, y) => (inFlame(x, y) && !inBreak(x) ? [255, 255, 255, 255] : [201, 52, 18, 255])),
);
writeFileSync(path.join(root, 'outline.png'), png(32, (x, y) => (inFlame(x, y) && !inBreak(x) ? [255, 255, 255, 255] : [0, 0, 0, 0])));
