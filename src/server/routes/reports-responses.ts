/**
 * The raw survey responses of a fiscal year for coordinators: exported as
 * JSON rows of the responses CSV format (the workspace turns them into CSV
 * or XLSX), and imported from a CSV file of historic responses, refused
 * whole with every bad row named, or written whole in one transaction.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { RESPONSES_CSV_COLUMNS } from '../../shared/domain/responses-csv/columns';
import { parseResponsesCsv } from '../../shared/domain/responses-csv/parse';
import { FiscalYearStart } from '../reports/follow-up';
import { responseRows } from '../reports/responses-export';
import { importResponseRows } from '../reports/responses-import';
import { errorResponses } from './errors';

/** A few thousand historic rows of a few hundred bytes each fit easily; the row limit is in responses-csv. */
export const IMPORT_BODY_LIMIT = 4 * 1024 * 1024;

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const InvalidRows = z.object({
  error: z.literal('invalid_rows'),
  message: z.string(),
  rows: z.array(z.object({ row: z.number().int(), message: z.string() })),
});

const CsvBody = z.string({ error: 'Send the CSV file itself as the request body, with Content-Type text/csv.' });

export const responsesRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Only this plugin reads CSV bodies (Fastify already reads text/plain as a string).
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  r.get(
    '/reports/responses',
    {
      schema: {
        summary:
          'The raw survey responses of the fiscal year starting in July of `fiscalYear`, as rows of the CSV format',
        description:
          'One row per participant on the roster of a workshop of that fiscal year: their counted response ' +
          '(status submitted) or status not-answered. The columns are those of the responses CSV format (docs/responses-csv.md).',
        security: [{ bearer: [] }],
        querystring: z.object({ fiscalYear: FiscalYearStart }),
        response: {
          200: z.object({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), Cell)) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      return { columns: [...RESPONSES_CSV_COLUMNS], rows: await responseRows(app.vaka.db, request.query.fiscalYear) };
    },
  );

  r.post(
    '/reports/responses/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        summary: 'Import historic survey responses from a CSV file, all rows or none',
        description:
          'The body is a CSV file (Content-Type text/csv) in the responses CSV format (docs/responses-csv.md). Every row is ' +
          'checked first; any bad row refuses the whole file with 422, naming each bad row as a spreadsheet ' +
          'numbers it (header = row 1). Rows already stored with the same answers are skipped, so importing ' +
          'the same file twice adds nothing.',
        security: [{ bearer: [] }],
        consumes: ['text/csv'],
        body: CsvBody,
        response: {
          200: z.object({ imported: z.number().int(), skipped: z.number().int() }),
          422: InvalidRows,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const invalid = (rows: { row: number; message: string }[]) =>
        reply.code(422).send({
          error: 'invalid_rows' as const,
          message: `Nothing was imported: ${rows.length === 1 ? '1 row needs' : `${rows.length} rows need`} fixing.`,
          rows,
        });
      const parsed = parseResponsesCsv(request.body);
      if (!parsed.ok) return invalid(parsed.errors);
      const result = await importResponseRows(
        app.vaka.db,
        app.vaka.dialect,
        parsed.rows,
        parsed.rowNumbers,
        app.vaka.now().toISOString(),
      );
      if (!result.ok) return invalid(result.errors);
      return { imported: result.imported, skipped: result.skipped };
    },
  );
};
