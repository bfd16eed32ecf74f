/**
 * Regenerates the small sample PDFs of the demo content pack and writes their
 * byteSize and sha256 back into the pack's JSON, so the pack always verifies.
 * Output is byte-for-byte reproducible (fixed dates, producer and layout), so
 * rerunning it leaves git clean unless the JSON or this script changed.
 *
 *   npx tsx src/server/content/make-sample-pdfs.ts [packDir]
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import * as prettier from 'prettier';
import { degrees, PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { ContentPackFile } from '../../shared/schemas/content-pack';
import type { AgendaSession, Workshop } from '../../shared/schemas/workshop';

const DEFAULT_DIR = path.join(import.meta.dirname, 'demo');
/** Any fixed instant works; this one is the end of the fiscal year the demo describes. */
const FIXED_DATE = new Date('2022-06-30T00:00:00Z');
const PRODUCER = 'Vaka make-sample-pdfs (pdf-lib)';
const BANNER = 'SAMPLE \u2014 not an official WCO document';

/** Only the fields this script rewrites; everything else in the JSON passes through untouched. */
const RawPack = z.looseObject({
  materials: z.array(z.looseObject({ id: z.string(), byteSize: z.unknown(), sha256: z.unknown() })).optional(),
});

type PackMaterial = z.infer<typeof ContentPackFile>['materials'][number];

function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && font.widthOfTextAtSize(candidate, size) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

class Writer {
  y: number;
  constructor(
    private readonly page: PDFPage,
    private readonly margin: number,
  ) {
    this.y = page.getHeight() - margin;
  }

  get full(): boolean {
    return this.y < this.margin + 40;
  }

  text(text: string, font: PDFFont, size: number, color = rgb(0.1, 0.1, 0.1)): void {
    const maxWidth = this.page.getWidth() - 2 * this.margin;
    for (const line of wrap(text, font, size, maxWidth)) {
      if (this.full) return;
      this.page.drawText(line, { x: this.margin, y: this.y, size, font, color });
      this.y -= size * 1.35;
    }
  }

  gap(points: number): void {
    this.y -= points;
  }
}

function placeOf(w: Workshop): string {
  if (w.venue === null) return 'Online';
  const where = [w.venue.name, w.venue.city, w.venue.country].filter(Boolean).join(', ');
  return w.mode === 'hybrid' ? `${where} (hybrid: on-site and online)` : where;
}

async function renderPdf(material: PackMaterial, workshop: Workshop, sessions: readonly AgendaSession[]) {
  // updateMetadata: false stops pdf-lib stamping the current time and its own producer.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`SAMPLE: ${material.title}`);
  doc.setSubject(workshop.title);
  doc.setAuthor('Vaka demo content (not an official WCO document)');
  doc.setCreator('Vaka');
  doc.setProducer(PRODUCER);
  doc.setKeywords(['sample', 'demo', 'not official']);
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);

  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('SAMPLE', {
    x: 130,
    y: 260,
    size: 120,
    font: bold,
    color: rgb(0.93, 0.93, 0.93),
    rotate: degrees(45),
  });

  const red = rgb(0.7, 0.1, 0.1);
  const out = new Writer(page, 56);
  out.text(BANNER, bold, 16, red);
  out.gap(10);
  out.text(material.title, bold, 20);
  out.gap(4);
  out.text(`Workshop: ${workshop.title}`, regular, 11);
  out.text(`Dates: ${workshop.startDate} to ${workshop.endDate} (${workshop.timeZone})`, regular, 11);
  out.text(`Place: ${placeOf(workshop)}`, regular, 11);
  out.text(`Organisers: ${workshop.organisers.join('; ')}`, regular, 11);
  out.text(
    `Audience: ${material.audience === 'participants' ? 'workshop participants only' : 'public'}  |  Version ${material.version}  |  Language: ${material.language}`,
    regular,
    11,
  );
  out.gap(10);
  out.text(
    'This file stands in for a workshop material in the Vaka demo. Its content is invented: it is not a document of the ' +
      'World Customs Organization, the ROCB A/P or any member administration, and it must not be quoted as one.',
    regular,
    10,
  );
  if (sessions.length > 0) {
    out.gap(10);
    out.text('Sample agenda (invented for the demo)', bold, 12);
    for (const s of sessions) out.text(`${s.date}  ${s.start}-${s.end}  ${s.title}`, regular, 9);
  }
  page.drawText(BANNER, { x: 56, y: 36, size: 9, font: bold, color: red });

  return doc.save({ useObjectStreams: true });
}

/** Formats as `npm run lint` expects (the repo's Prettier settings), so a rerun leaves lint clean. */
async function formatJson(file: string, value: unknown): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  // Expanded input keeps Prettier from collapsing short objects, so output matches hand-run Prettier.
  return prettier.format(JSON.stringify(value, null, 2), { ...options, filepath: file });
}

export async function makeSamplePdfs(dir: string = DEFAULT_DIR): Promise<{ file: string; byteSize: number }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const raws = new Map<string, z.infer<typeof RawPack>>();
  const parsed = new Map<string, z.infer<typeof ContentPackFile>>();
  for (const file of files) {
    const json: unknown = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    RawPack.parse(json);
    // Mutate the object as read, not zod's copy, so key order and formatting survive the rewrite.
    raws.set(file, json as z.infer<typeof RawPack>);
    parsed.set(file, ContentPackFile.parse(json));
  }
  const all = [...parsed.values()];
  const workshops = new Map(all.flatMap((p) => p.workshops).map((w) => [w.id, w]));
  const sessions = all
    .flatMap((p) => p.agendaSessions)
    .sort((a, b) => `${a.date} ${a.start}`.localeCompare(`${b.date} ${b.start}`));

  const written: { file: string; byteSize: number }[] = [];
  for (const file of files) {
    const raw = raws.get(file)!;
    let changed = false;
    for (const material of parsed.get(file)!.materials) {
      const workshop = workshops.get(material.workshopId);
      if (!workshop) throw new Error(`${file}: material ${material.id} names unknown workshop ${material.workshopId}`);
      const bytes = await renderPdf(
        material,
        workshop,
        sessions.filter((s) => s.workshopId === workshop.id),
      );
      const target = path.join(dir, material.file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const entry = raw.materials?.find((m) => m.id === material.id);
      if (entry && (entry.byteSize !== bytes.byteLength || entry.sha256 !== sha256)) {
        entry.byteSize = bytes.byteLength;
        entry.sha256 = sha256;
        changed = true;
      }
      written.push({ file: material.file, byteSize: bytes.byteLength });
    }
    // Rewriting only on change keeps file timestamps (and watchers) quiet on a no-op run.
    if (changed) await writeFile(path.join(dir, file), await formatJson(path.join(dir, file), raw));
  }
  return written;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const written = await makeSamplePdfs(process.argv[2] ?? DEFAULT_DIR);
  for (const w of written) console.log(`${w.file}  ${w.byteSize} bytes`);
  console.log(`${written.length} sample PDFs written.`);
}
