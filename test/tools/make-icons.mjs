// Draws Vaka's app icons as PNGs with no dependencies (zlib only), so the
// output is byte-for-byte the same on every run. A "V" with a wave (vaka =
// outrigger canoe) on deep teal; maskable variants keep the mark in the
// inner 80 % safe zone.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const OUT = process.argv[2] ?? 'public/icons';
const BG = [11, 85, 99];
const FG = [255, 255, 255];
const ACCENT = [255, 196, 87];

const crcTable = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const png = (size, rgba) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

// Distance from point to segment, for stroking the mark.
const segDist = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
};

/** Colour at unit coordinates (0..1); null = transparent. */
function shade(u, v, { maskable, rounded }) {
  if (rounded) {
    const r = 0.18,
      cx = Math.min(Math.max(u, r), 1 - r),
      cy = Math.min(Math.max(v, r), 1 - r);
    if (Math.hypot(u - cx, v - cy) > r) return null;
  }
  // Scale the mark into the safe zone for maskable icons.
  const s = maskable ? 0.72 : 0.9;
  const x = (u - 0.5) / s + 0.5,
    y = (v - 0.5) / s + 0.5;
  const w = 0.075;
  if (segDist(x, y, 0.25, 0.22, 0.5, 0.7) < w || segDist(x, y, 0.75, 0.22, 0.5, 0.7) < w) return FG;
  // The hull: a shallow arc under the V.
  const hullY = 0.8 + 0.06 * Math.cos((x - 0.5) * Math.PI * 1.6);
  if (x > 0.18 && x < 0.82 && Math.abs(y - hullY) < 0.035) return ACCENT;
  return BG;
}

function render(size, opts) {
  const SS = 4;
  const buf = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const c = shade((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size, opts);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      const n = SS * SS;
      buf[i] = a ? Math.round(r / a) : 0;
      buf[i + 1] = a ? Math.round(g / a) : 0;
      buf[i + 2] = a ? Math.round(b / a) : 0;
      buf[i + 3] = Math.round((a / n) * 255);
    }
  }
  return png(size, buf);
}

mkdirSync(OUT, { recursive: true });
const jobs = [
  ['icon-192.png', 192, { rounded: true, maskable: false }],
  ['icon-512.png', 512, { rounded: true, maskable: false }],
  ['maskable-192.png', 192, { rounded: false, maskable: true }],
  ['maskable-512.png', 512, { rounded: false, maskable: true }],
  ['apple-touch-icon-180.png', 180, { rounded: false, maskable: true }],
];
for (const [name, size, opts] of jobs) writeFileSync(`${OUT}/${name}`, render(size, opts));
console.log(`wrote ${jobs.length} icons to ${OUT}`);
