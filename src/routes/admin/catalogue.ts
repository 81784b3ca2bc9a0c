/**
 * The whole catalogue, out and in: export as one document, import all or nothing (or as a dry run
 * that says what would change): src/catalogue/import-export.ts.
 */
import * as z from 'zod'
import { exportCatalogue, importCatalogue } from '../../catalogue/import-export.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CatalogueDocumentSchema, ImportResultSchema } from '../../schemas/catalogue-document.ts'
import { adminRoute } from '../define.ts'
import { failures, route } from './shared.ts'

/** The largest import: under the database's 10 MiB request cap, with room for JSON escaping. */
const IMPORT_BODY_LIMIT = 4 * 1024 * 1024

const flag = (name: string, description: string) =>
  z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .meta({ param: { name, in: 'query' }, type: 'boolean', description })

/** Each list of ids of an import's plan as its length. */
const countsOf = (plan: Record<string, Record<string, unknown[] | number>>) =>
  Object.fromEntries(
    Object.entries(plan).map(([part, kinds]) => [
      part,
      Object.fromEntries(Object.entries(kinds).map(([kind, v]) => [kind, Array.isArray(v) ? v.length : v])),
    ]),
  )

export const adminCatalogue = createRouter()
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/catalogue/export', 'catalogue', 'The whole catalogue as one document'),
      description:
        'Skills with their prerequisites, units and activities (answer keys included), in a fixed order and ' +
        'without timestamps: importing it into an empty database and exporting again gives the same bytes. One round trip.',
      responses: { 200: jsonResponse(CatalogueDocumentSchema, 'The catalogue', ['Content-Disposition']) },
    }),
    async function exportAll(c) {
      const document = await exportCatalogue(c.var.db)
      const filename = `catalogue-${new Date().toISOString().slice(0, 10)}.json`
      return c.json(document, 200, {
        ...NO_STORE,
        'Content-Disposition': `attachment; filename="${filename}"`,
      })
    },
  )
  .openapi(
    adminRoute(
      {
        ...route(
          'post',
          '/v1/admin/catalogue/import',
          'catalogue',
          'Import a catalogue document, all or nothing',
        ),
        description:
          'Creates and updates every skill, unit, activity and prerequisite of the document (unchanged rows are ' +
          'left untouched); with `prune=true` also deletes what the document does not have, with the learners’ ' +
          'attempts and skill states on it. One transaction: an error anywhere writes nothing, and names the ' +
          `item (\`pointer\` into the document). \`dryRun=true\` writes nothing and answers the same counts. Bodies up ` +
          `to ${IMPORT_BODY_LIMIT / 1024 / 1024} MiB.`,
        request: {
          query: z.object({
            dryRun: flag('dryRun', 'Only say what the import would do.'),
            prune: flag('prune', 'Delete what the document does not have (and the progress on it).'),
          }),
          ...jsonBody(CatalogueDocumentSchema),
        },
        responses: { 200: jsonResponse(ImportResultSchema, 'What was (or would be) done'), ...failures },
      },
      { bodyLimit: IMPORT_BODY_LIMIT },
    ),
    async function importDocument(c) {
      const { dryRun, prune } = c.req.valid('query')
      const incoming = c.req.valid('json')
      const imported = await importCatalogue(c.var.db, incoming, { dryRun, prune, author: c.var.author })
      const result = { dryRun, prune, ...imported.plan, pruneDestroys: imported.pruneDestroys }
      // The audit line tells a dry run from a prune, with how much it did (or would do): counts, not ids.
      c.set('auditDetails', {
        dryRun,
        prune,
        ...countsOf(imported.plan),
        pruneDestroys: imported.pruneDestroys,
      })
      return c.json(result, 200, NO_STORE)
    },
  )
