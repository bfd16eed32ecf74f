/**
 * Operator commands for content packs: check one without a database, or
 * load one (all of it or nothing) into the configured database.
 */
import { loadContentPack } from '../content/pack';
import { importPack } from '../content/import';
import { parseCommandArgs, type Command } from './command';

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
    const counts = await importPack(db, pack, ctx.config().filesDir);
    ctx.out(
      `Imported: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}.`,
    );
    return 0;
  },
};
