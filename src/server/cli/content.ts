/**
 * Operator commands for content: list the workshops (their ids are what
 * create-participant --workshop takes), check a content pack without a
 * database, or load one (all of it or nothing) into the configured database.
 */
import { fiscalYearOf } from '../../shared/domain/survey-report';
import { loadContentPack } from '../content/pack';
import { importPack } from '../content/import';
import { openFileStorage } from '../files/open';
import { workshopsForEditing } from '../content/editing-views';
import { FiscalYearStart } from '../reports/follow-up';
import { UsageError, parseCommandArgs, type Command } from './command';

export const listWorkshops: Command = {
  name: 'list-workshops',
  synopsis: '[--fiscal-year YEAR] [--json]',
  summary: 'List the workshops, drafts included, with their ids and roster sizes.',
  help: [
    '  --fiscal-year YEAR  only workshops starting in that fiscal year: 2020 for July 2020 to June 2021',
    '  --json              the list as JSON, as GET /api/v1/coordinator/workshops answers it',
    'Newest first. Without --json, one line per workshop: id, dates, kind, roster size, title; a draft',
    'is marked DRAFT.',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs(
      this.name,
      argv,
      { 'fiscal-year': { type: 'string' }, json: { type: 'boolean' } },
      { names: [] },
    );
    let fiscalYear: string | undefined;
    if (values['fiscal-year'] !== undefined) {
      const parsed = FiscalYearStart.safeParse(values['fiscal-year']);
      if (!parsed.success)
        throw new UsageError(`--fiscal-year ${values['fiscal-year']}: ${parsed.error.issues[0]!.message}`);
      fiscalYear = parsed.data;
    }
    const items = (await workshopsForEditing((await ctx.database()).db)).filter(
      (i) => fiscalYear === undefined || fiscalYearOf(i.workshop.startDate) === fiscalYear,
    );
    if (values.json) {
      ctx.out(JSON.stringify(items, null, 2));
      return 0;
    }
    for (const { workshop: w, counts } of items)
      ctx.out(
        `${w.id}  ${w.startDate} to ${w.endDate}  ${w.kind.padEnd(12)}  ${String(counts.roster).padStart(3)} on roster  ${w.title}${w.status === 'draft' ? '  DRAFT' : ''}`,
      );
    if (items.length === 0) ctx.out(fiscalYear ? `No workshop starts in fiscal year ${fiscalYear}.` : 'No workshops.');
    return 0;
  },
};

export const checkPack: Command = {
  name: 'check-pack',
  synopsis: 'DIR',
  summary: 'Validate a content pack without loading it.',
  help: 'DIR holds the pack’s JSON files and its files/ folder; every error names the file and the JSON path.',
  async run(argv, ctx) {
    const { positionals } = parseCommandArgs(this.name, argv, {}, { names: ['DIR'] });
    const pack = await loadContentPack(positionals[0]!);
    ctx.out(
      `OK: ${pack.workshops.length} workshops, ${pack.materials.length} materials, ${pack.toolSummaries.length} tool summaries.`,
    );
    return 0;
  },
};

export const importPackCommand: Command = {
  name: 'import-pack',
  synopsis: 'DIR',
  summary: 'Validate a content pack and load it into the database.',
  help: 'Nothing is loaded unless the whole pack is valid; records already there are replaced by the pack’s.',
  async run(argv, ctx) {
    const { positionals } = parseCommandArgs(this.name, argv, {}, { names: ['DIR'] });
    const pack = await loadContentPack(positionals[0]!);
    const { db } = await ctx.database();
    const files = openFileStorage(ctx.config());
    const counts = await importPack(db, pack, files).finally(() => files.close());
    ctx.out(
      `Imported: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
    );
    return 0;
  },
};
