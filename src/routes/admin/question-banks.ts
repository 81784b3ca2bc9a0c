/**
 * Question banks in the formats teachers already have (GIFT, Moodle XML, QTI 3.0): imported into a
 * unit as draft activities, all or nothing, and an activity exported as a file (src/interop/).
 */
import * as z from 'zod'
import { createImportedActivities, unitSkill } from '../../catalogue/activity-import.ts'
import { activityForAuthors } from '../../catalogue/activity-writes.ts'
import { activityContent, text } from '../../content/schema.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { BankError, planActivities } from '../../interop/bank.ts'
import { type Format, formatName, IMPORT_TYPES, readBank, writeActivity } from '../../interop/formats.ts'
import { mediaTypeOf } from '../../middleware/body.ts'
import { HEADERS, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { uuidParam } from '../../schemas/common.ts'
import { BankFormat, QuestionImportReportSchema } from '../../schemas/question-banks.ts'
import { adminRoute, adminUploadRoute } from '../define.ts'
import { failures, found, route } from './shared.ts'

/** The largest bank: thousands of questions, far under a Worker's request cap. */
const BANK_BODY_LIMIT = 2 * 1024 * 1024
const UPLOAD_TYPES = ['text/plain', 'application/xml', 'text/xml', 'application/zip']

const fileBody = (description: string) => ({
  body: {
    required: true,
    description,
    content: {
      'text/plain': { schema: z.string().meta({ description: 'GIFT, in UTF-8' }) },
      'application/xml': { schema: z.string().meta({ description: 'Moodle XML, or one QTI 3.0 item' }) },
      'text/xml': { schema: z.string() },
      'application/zip': {
        schema: z.string().meta({ format: 'binary', description: 'A QTI 3.0 content package' }),
      },
    },
  },
})

const fileResponse = (description: string) => ({
  description,
  headers: {
    'X-Request-Id': { ...HEADERS['X-Request-Id'], required: true },
    'Cache-Control': { ...HEADERS['Cache-Control'], required: true },
    'Content-Disposition': { ...HEADERS['Content-Disposition'], required: true },
    'Export-Skipped': {
      description:
        'The ids of questions the format cannot hold (parameterised ones, mostly), comma-separated.',
      schema: { type: 'string' as const },
    },
  },
  content: {
    'text/plain': { schema: z.string() },
    'application/xml': { schema: z.string() },
    'application/zip': { schema: z.string().meta({ format: 'binary' }) },
  },
})

const importQuery = z.object({
  format: BankFormat,
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .meta({
      param: { name: 'dryRun', in: 'query' },
      type: 'boolean',
      description: 'Only report; write nothing.',
    }),
  name: text(200).optional().meta({
    description: 'The activity’s name; otherwise the file’s category or title, or “Imported questions”.',
  }),
})

export const adminQuestionBanks = createRouter()
  .openapi(
    adminUploadRoute(
      {
        ...route(
          'post',
          '/v1/admin/units/{unitId}/activities/import',
          'activities',
          'Import a question bank as draft activities',
        ),
        description:
          'Reads a GIFT, Moodle XML or QTI 3.0 file and creates a draft activity of every question it can hold ' +
          '(“Part 2”, “Part 3”… past 50 questions), in one round trip, all or nothing. Questions it cannot hold are ' +
          'reported with their place and reason, never dropped silently. A file that cannot be read is a 400 naming ' +
          `its line or element. XML may not carry a DOCTYPE or entities. Bodies up to ${BANK_BODY_LIMIT / 1024 / 1024} MiB; ` +
          '`dryRun=true` answers 200 with the same report and writes nothing.',
        request: {
          params: uuidParam('unitId'),
          query: importQuery,
          ...fileBody('The file, as its format’s type'),
        },
        responses: {
          201: jsonResponse(
            QuestionImportReportSchema,
            'Created: the draft activities, and what was skipped',
          ),
          200: jsonResponse(QuestionImportReportSchema, 'The dry run’s report: nothing was written'),
          ...failures,
        },
      },
      { types: UPLOAD_TYPES, bodyLimit: BANK_BODY_LIMIT },
    ),
    async function importBank(c) {
      const { unitId } = c.req.valid('param')
      const { format, dryRun, name } = c.req.valid('query')
      const type = mediaTypeOf(c.req.header('content-type')) ?? ''
      if (!IMPORT_TYPES[format].includes(type)) {
        throw new ApiError(
          'unsupported_media_type',
          `Send ${formatName(format)} as ${IMPORT_TYPES[format].join(' or ')}.`,
        )
      }
      const bank = await read(format, type, new Uint8Array(await c.req.arrayBuffer()))
      const planned = planActivities(name ?? bank.title ?? 'Imported questions', bank.questions)
      const report = { imported: bank.questions.length, skipped: bank.skipped, warnings: bank.warnings }
      if (dryRun) {
        found(await unitSkill(c.var.db, unitId), 'unit')
        const activities = planned.map((a) => ({ name: a.name, questionCount: a.content.questions.length }))
        return c.json({ activities, ...report }, 200, NO_STORE)
      }
      if (planned.length === 0) {
        throw new ApiError('unprocessable', 'No question in the file can be imported.', {
          errors: bank.skipped.map((s) => ({ detail: `${s.where}: ${s.reason}` })),
        })
      }
      const activities = found(
        await createImportedActivities(c.var.db, c.var.author, unitId, planned),
        'unit',
      )
      return c.json({ activities, ...report }, 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route(
        'get',
        '/v1/admin/activities/{activityId}/export',
        'activities',
        'An activity as a GIFT, Moodle XML or QTI file',
      ),
      description:
        'The activity’s questions (its current content, drafts included) as a file to save: GIFT text, Moodle XML, ' +
        'or a QTI 3.0 content package (zip). Questions the format cannot hold are named in `Export-Skipped` (and in ' +
        'the file’s comments where it has them). One round trip.',
      request: { params: uuidParam('activityId'), query: z.object({ format: BankFormat }) },
      responses: { 200: fileResponse('The file, as an attachment'), ...failures },
    }),
    async function exportActivity(c) {
      const { format } = c.req.valid('query')
      const activity = found(await activityForAuthors(c.var.db, c.req.valid('param').activityId), 'activity')
      const file = writeActivity(format, activity.name, activityContent.parse(activity.content))
      const slug = activity.name
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()
      const headers: Record<string, string> = {
        ...NO_STORE,
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${slug || 'activity'}.${file.extension}"`,
        ...(file.skipped.length > 0 && { 'Export-Skipped': file.skipped.map((s) => s.id).join(', ') }),
      }
      return c.body(file.body, 200, headers)
    },
  )

/** The bank in the file, or a 400 naming where the file cannot be read. */
async function read(format: Format, type: string, bytes: Uint8Array) {
  try {
    return await readBank(format, type, bytes)
  } catch (error) {
    if (!(error instanceof BankError)) throw error
    throw new ApiError(
      'validation_failed',
      `The ${formatName(format)} file cannot be read: ${error.where}: ${error.message}.`,
      {
        errors: [{ parameter: 'body', detail: `${error.where}: ${error.message}` }],
      },
    )
  }
}
