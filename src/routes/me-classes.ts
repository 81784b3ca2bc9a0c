/** The classes this learner joined: join with a code, list, leave. One round trip each. */

import * as z from 'zod'
import { normaliseJoinCode } from '../classes/join-code.ts'
import { joinClass, leaveClass, type MyClass, myClasses } from '../classes/membership.ts'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { REPLAYED } from '../progress/write/idempotency.ts'
import { createRouter } from '../router.ts'
import { JoinClassSchema, MyClassSchema } from '../schemas/classes.ts'
import { IdempotencyKeyHeader, uuidParam } from '../schemas/common.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'
import { idempotencyKeyOf } from './idempotency-key.ts'

const present = (row: MyClass) => ({ ...row, joinedAt: row.joinedAt.toISOString() })

export const meClasses = createRouter()
  .openapi(
    learnerRoute({
      method: 'post',
      path: '/v1/me/classes',
      tags: ['Learner'],
      summary: 'Join a class with its code',
      description:
        'A learner stays anonymous to the class: it sees how many joined and, in its dashboards, aggregates — ' +
        'never who (a display name only where the learner set one). Joining again is a 200.',
      request: { headers: IdempotencyKeyHeader, ...jsonBody(JoinClassSchema) },
      responses: {
        201: jsonResponse(MyClassSchema, 'Joined', ['Idempotent-Replayed']),
        200: jsonResponse(MyClassSchema, 'Already a member', ['Idempotent-Replayed']),
        ...problemResponses(404, 409, 422),
      },
    }),
    async function join(c) {
      const code = normaliseJoinCode(c.req.valid('json').code)
      const result = await joinClass(learnerScope(c), code, await idempotencyKeyOf(c, { body: true }))
      if (!result) throw new ApiError('not_found', 'No class has this code.')
      const headers = { ...PRIVATE, ...(result.replayed && REPLAYED) }
      const body = present(result.joined)
      return result.created ? c.json(body, 201, headers) : c.json(body, 200, headers)
    },
  )
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/classes',
      tags: ['Learner'],
      summary: 'The classes this learner joined',
      responses: { 200: jsonResponse(z.object({ items: z.array(MyClassSchema) }), 'By name') },
    }),
    async function classesOfMine(c) {
      const rows = await myClasses(learnerScope(c))
      return c.json({ items: rows.map(present) }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me/classes/{classId}',
      tags: ['Learner'],
      summary: 'Leave a class',
      request: { params: uuidParam('classId'), headers: IdempotencyKeyHeader },
      responses: {
        204: emptyResponse('Left', ['Idempotent-Replayed']),
        ...problemResponses(400, 404, 409, 422),
      },
    }),
    async function leave(c) {
      const { classId } = c.req.valid('param')
      const left = await leaveClass(learnerScope(c), classId, await idempotencyKeyOf(c, { body: false }))
      if (!left.found) throw new ApiError('not_found', 'This learner is not in that class.')
      return c.body(null, 204, { ...PRIVATE, ...(left.replayed && REPLAYED) })
    },
  )
