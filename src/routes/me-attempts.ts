/** The learner's attempt history: one round trip per page, newest first. */

import { and, desc, eq, lt, or, sql } from 'drizzle-orm'
import * as z from 'zod'
import { activityContent } from '../content/schema.ts'
import { activityVersions, attempts } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { ownAttempt, versionOf } from '../progress/queries.ts'
import { createRouter } from '../router.ts'
import { AttemptSchema, AttemptStatus, presentAttempt } from '../schemas/attempts.ts'
import {
  CursorTimestamp,
  cursorQuery,
  cursorTimestampOf,
  decodeCursor,
  encodeCursor,
  limitQuery,
  page,
  uuidParam,
} from '../schemas/common.ts'
import { readLearner } from '../session/learner.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

/** Attempts page through by (started_at, id), newest first; the cursor keeps microseconds. */
const AttemptCursor = z.tuple([CursorTimestamp, z.uuid()])
const startedAtKey = cursorTimestampOf(attempts.startedAt)

export const meAttempts = createRouter()
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/attempts',
      tags: ['Progress'],
      summary: 'This learner’s attempts, newest first (keyset pagination)',
      request: {
        query: z.object({
          activityId: z
            .uuid()
            .optional()
            .meta({ param: { name: 'activityId', in: 'query' } }),
          status: AttemptStatus.optional().meta({ param: { name: 'status', in: 'query' } }),
          limit: limitQuery,
          cursor: cursorQuery,
        }),
      },
      responses: {
        200: jsonResponse(page(AttemptSchema, 'AttemptPage'), 'A page of attempts'),
        ...problemResponses(400),
      },
    }),
    async function listMyAttempts(c) {
      const { activityId, status, limit, cursor } = c.req.valid('query')
      const after = decodeCursor(cursor, AttemptCursor)
      const { rows } = await readLearner(learnerScope(c), (db, learnerId) => ({
        rows: db
          .select({ attempt: attempts, key: startedAtKey })
          .from(attempts)
          .where(
            and(
              eq(attempts.learnerId, learnerId),
              activityId ? eq(attempts.activityId, activityId.toLowerCase()) : undefined,
              status ? eq(attempts.status, status) : undefined,
              after &&
                or(
                  lt(attempts.startedAt, sql`${after[0]}::timestamptz`),
                  and(eq(attempts.startedAt, sql`${after[0]}::timestamptz`), lt(attempts.id, after[1])),
                ),
            ),
          )
          .orderBy(desc(attempts.startedAt), desc(attempts.id))
          .limit(limit + 1),
      }))
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      const nextCursor = rows.length > limit && last ? encodeCursor([last.key, last.attempt.id]) : null
      return c.json({ items: items.map((row) => presentAttempt(row.attempt)), nextCursor }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/attempts/{attemptId}',
      tags: ['Progress'],
      summary: 'One of this learner’s attempts',
      request: { params: uuidParam('attemptId') },
      responses: { 200: jsonResponse(AttemptSchema, 'The attempt'), ...problemResponses(400, 404) },
    }),
    async function myAttempt(c) {
      const { attemptId } = c.req.valid('param')
      const { attempt } = await readLearner(learnerScope(c), (db, learnerId) => ({
        attempt: db
          .select({ attempt: attempts, content: activityVersions.content })
          .from(attempts)
          .innerJoin(activityVersions, versionOf(attempts))
          .where(ownAttempt(learnerId, attemptId)),
      }))
      const [row] = attempt
      if (!row) throw new ApiError('not_found', 'No attempt with this id.')
      return c.json(presentAttempt(row.attempt, activityContent.parse(row.content)), 200, PRIVATE)
    },
  )
