/** The learner's attempt history: one round trip per page, newest first. */

import * as z from 'zod'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { attemptOf, attemptPage } from '../progress/reads/learner-reads.ts'
import { createRouter } from '../router.ts'
import { AttemptSchema, AttemptStatus, presentAttempt } from '../schemas/attempts.ts'
import {
  CursorTimestamp,
  cursorQuery,
  decodeCursor,
  encodeCursor,
  limitQuery,
  page,
  uuidParam,
} from '../schemas/common.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

/** Attempts page through by (started_at, id), newest first; the cursor keeps microseconds. */
const AttemptCursor = z.tuple([CursorTimestamp, z.guid()])

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
            .guid()
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
      const found = await attemptPage(learnerScope(c), { activityId, status, limit, after })
      return c.json(
        {
          items: found.attempts.map((attempt) => presentAttempt(attempt)),
          nextCursor: found.next && encodeCursor(found.next),
        },
        200,
        PRIVATE,
      )
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
      const found = await attemptOf(learnerScope(c), attemptId)
      if (!found) throw new ApiError('not_found', 'No attempt with this id.')
      return c.json(presentAttempt(found.attempt, found.content), 200, PRIVATE)
    },
  )
