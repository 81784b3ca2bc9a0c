/**
 * An activity's completed attempts as a CSV download (src/analytics/attempts-csv.ts says what is in
 * it). The first read (does the activity exist, the first page, is there more than one response can
 * carry) happens before the response starts, so a wrong id is still a 404 problem; the other pages
 * are read while the client downloads, one round trip each, and never held in memory together.
 */

import * as z from 'zod'
import {
  type AttemptsCursor,
  CSV_COLUMNS,
  CSV_MAX_ATTEMPTS,
  CSV_MAX_PAGES,
  CSV_PAGE_ATTEMPTS,
  csvLine,
  csvText,
  firstCsvRead,
  laterCsvPage,
  pseudonyms,
} from '../../analytics/attempts-csv.ts'
import { ApiError, logServerFault } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { utf8 } from '../../lib/encoding.ts'
import { databaseFor } from '../../middleware/db.ts'
import { csvResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import {
  CursorTimestamp,
  cursorQuery,
  decodeCursor,
  encodeCursor,
  uuidParam,
  versionQuery,
} from '../../schemas/common.ts'
import { derivedKeys } from '../../session/derived-keys.ts'
import { adminRoute } from '../define.ts'
import { failures, route } from './shared.ts'

const AttemptsCsvCursor = z.tuple([CursorTimestamp, z.guid()])

export const adminAttemptsCsv = createRouter().openapi(
  adminRoute({
    ...route(
      'get',
      '/v1/admin/activities/{activityId}/attempts.csv',
      'activities',
      'An activity’s completed attempts as CSV, for researchers',
    ),
    description:
      'One row per question of each completed attempt, in completion order: `' +
      CSV_COLUMNS.join('`, `') +
      '`. Learners are pseudonyms (stable across downloads while the first session secret is). ' +
      'RFC 4180 quoting; text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, ' +
      "`@`, tab or CR) start with `'`; numbers stay numbers; multiple-choice answers are choice ids joined " +
      `by \`;\`. Streamed in pages of ${CSV_PAGE_ATTEMPTS} attempts (one round trip each), at most ` +
      `${CSV_MAX_ATTEMPTS} attempts per response: past that, \`Link: <…>; rel="next"\` is the next part.`,
    request: {
      params: uuidParam('activityId'),
      query: z.object({
        version: versionQuery('Only attempts on this content version (default: every version).'),
        cursor: cursorQuery.meta({ description: 'Where to start: from a `Link: rel="next"` URL.' }),
      }),
    },
    responses: { 200: csvResponse('The attempts, as CSV', ['Link']), ...failures },
  }),
  async function attemptsCsv(c) {
    const { activityId } = c.req.valid('param')
    const { version, cursor } = c.req.valid('query')
    const after: AttemptsCursor | undefined = decodeCursor(cursor, AttemptsCsvCursor)
    const keys = await derivedKeys(c.env.SESSION_SECRETS, 'attempts-csv-pseudonym')
    if (!keys) {
      throw new ApiError(
        'misconfigured',
        'Learner pseudonyms need SESSION_SECRETS, which is missing or too short.',
      )
    }
    const pseudonym = pseudonyms(keys.signing)
    const read = await firstCsvRead(c.var.db, activityId, version, after)
    if (!read.found) throw new ApiError('not_found', 'No activity with this id.')

    const first = await csvText(read.firstPage, pseudonym)
    const next = read.continueAfter && new URL(c.req.url)
    if (next && read.continueAfter) next.searchParams.set('cursor', encodeCursor(read.continueAfter))

    let position = first.cursor
    let pages = 1
    let more = first.attemptCount === CSV_PAGE_ATTEMPTS && pages < CSV_MAX_PAGES
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8(csvLine(CSV_COLUMNS) + first.text))
        if (!more) controller.close()
      },
      async pull(controller) {
        try {
          const rows = await laterCsvPage(databaseFor(c.env, c.var.dbStats), activityId, version, position)
          const page = await csvText(rows, pseudonym)
          pages++
          position = page.cursor ?? position
          more = page.attemptCount === CSV_PAGE_ATTEMPTS && pages < CSV_MAX_PAGES
          if (page.text) controller.enqueue(utf8(page.text))
          if (!more) controller.close()
        } catch (error) {
          // The status is sent: all that is left is to end the download as failed, not as complete.
          logServerFault(c, error, { code: 'csv_stream_failed', pages })
          controller.error(new Error('The CSV could not be completed.'))
        }
      },
    })
    const filename = `activity-${activityId}-attempts${version ? `-v${version}` : ''}.csv`
    return c.body(body, 200, {
      ...NO_STORE,
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="${filename}"`,
      ...(next && { Link: `<${next.pathname}${next.search}>; rel="next"` }),
    })
  },
)
