/** The learner's attempt history: one round trip per page, newest first. */

import { createRoute, z } from '@hono/zod-openapi'
import { and, desc, eq, lt, or, sql } from 'drizzle-orm'
import { retryReads } from '../db/retry.ts'
import { attempts } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { ownAttempt } from '../progress/queries.ts'
import { createRouter } from '../router.ts'
import { cursorQuery, decodeCursor, encodeCursor, limitQuery, page, uuidParam } from '../schemas/common.ts'
import { PRIVATE } from '../schemas/learner.ts'
import { AttemptSchema, AttemptStatus, presentAttempt } from '../schemas/progress.ts'
import { identify, learnerIdOf } from '../session/learner.ts'
import { noSession, requireSession } from '../session/middleware.ts'

/** Attempts page through by (started_at, id), newest first; the cursor keeps microseconds. */
const AttemptCursor = z.tuple([z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), z.uuid()])
const startedAtKey = sql<string>`to_char(${attempts.startedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

export const history = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/attempts',
      tags: ['Progress'],
      summary: 'This learner’s attempts, newest first (keyset pagination)',
      request: {
        query: z.object({
          activityId: z
            .uuid()
            .optional()
            .openapi({ param: { name: 'activityId', in: 'query' } }),
          status: AttemptStatus.optional().openapi({ param: { name: 'status', in: 'query' } }),
          limit: limitQuery,
          cursor: cursorQuery,
        }),
      },
      responses: {
        200: jsonResponse(page(AttemptSchema, 'AttemptPage'), 'A page of attempts'),
        ...problemResponses(400, 401),
      },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const { activityId, status, limit, cursor } = c.req.valid('query')
      const after = decodeCursor(cursor, AttemptCursor)
      const db = c.var.db
      const [, [learner], rows] = await retryReads(() =>
        db.batch([
          ...identify(db, hash),
          db
            .select({ attempt: attempts, key: startedAtKey })
            .from(attempts)
            .where(
              and(
                eq(attempts.learnerId, learnerIdOf(hash)),
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
        ]),
      )
      if (!learner) throw noSession(c)
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      const nextCursor = rows.length > limit && last ? encodeCursor([last.key, last.attempt.id]) : null
      return c.json({ items: items.map((row) => presentAttempt(row.attempt)), nextCursor }, 200, PRIVATE)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/attempts/{attemptId}',
      tags: ['Progress'],
      summary: 'One of this learner’s attempts',
      request: { params: uuidParam('attemptId') },
      responses: { 200: jsonResponse(AttemptSchema, 'The attempt'), ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const { attemptId } = c.req.valid('param')
      const db = c.var.db
      const [, [learner], [attempt]] = await retryReads(() =>
        db.batch([...identify(db, hash), db.select().from(attempts).where(ownAttempt(hash, attemptId))]),
      )
      if (!learner) throw noSession(c)
      if (!attempt) throw new ApiError('not_found', 'No attempt with this id.')
      return c.json(presentAttempt(attempt), 200, PRIVATE)
    },
  )
