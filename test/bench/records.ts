/**
 * The records every sync and capacity benchmark moves: follow-up actions of
 * about 300 bytes of JSON each (the size a participant's typical entry has),
 * made from a seeded generator so Vaka and PouchDB carry byte-identical
 * content and a rerun carries the same bytes again.
 */
import { mulberry32 } from '../support/random';
import { v7 as uuidv7 } from 'uuid';

export interface ActionFields {
  participantId: string;
  workshopId: string;
  kind:
    | 'share-materials'
    | 'submit-report'
    | 'make-recommendations'
    | 'in-house-workshop'
    | 'operational-manuals'
    | 'other';
  date: string;
  description: string;
  audience: string;
  channel: 'intranet' | 'common-drive' | 'email' | 'meeting' | 'printed' | 'other' | null;
  attendees: number | null;
  evidence: never[];
}

export interface BenchRecord {
  id: string;
  fields: ActionFields;
}

const KINDS: ActionFields['kind'][] = [
  'share-materials',
  'submit-report',
  'make-recommendations',
  'in-house-workshop',
  'operational-manuals',
  'other',
];
const CHANNELS: Exclude<ActionFields['channel'], null>[] = ['intranet', 'common-drive', 'email', 'meeting', 'printed'];
const WORDS =
  'shared the workshop slides with colleagues in the post clearance audit unit and briefed the deputy commissioner on risk management data analytics for the border agencies'.split(
    ' ',
  );
const AUDIENCES = ['PCA unit', 'Risk management team', 'Deputy Commissioner', 'Border operations', 'Training academy'];

/** Deterministic record ids and contents for `count` actions; ids are UUIDv7 as the app makes them. */
export function makeRecords(count: number, seed: number, participantId: string, workshopId: string): BenchRecord[] {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const out: BenchRecord[] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    // Three UUIDs and the field names take about 250 bytes; a short description brings the record to about 300.
    while (words.join(' ').length < 25 + Math.floor(rand() * 30)) words.push(pick(WORDS));
    const kind = pick(KINDS);
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    const random = new Uint8Array(16);
    for (let b = 0; b < 16; b++) random[b] = Math.floor(rand() * 256);
    out.push({
      id: uuidv7({ random, msecs: 1_700_000_000_000 + seed * 1_000_000 + i }),
      fields: {
        participantId,
        workshopId,
        kind,
        date: `2022-${month}-${day}`,
        description: `${words.join(' ')}.`.replace(/^./, (c) => c.toUpperCase()),
        audience: pick(AUDIENCES),
        channel: kind === 'share-materials' ? pick(CHANNELS) : null,
        attendees: kind === 'in-house-workshop' ? 5 + Math.floor(rand() * 40) : null,
        evidence: [],
      },
    });
  }
  return out;
}

/** Mean JSON size of a whole record (id included), for the table notes. */
export function meanRecordBytes(records: readonly BenchRecord[]): number {
  if (records.length === 0) return 0;
  const total = records.reduce((s, r) => s + JSON.stringify({ id: r.id, ...r.fields }).length, 0);
  return Math.round(total / records.length);
}
