/** The classes this learner joined: join with a code, list, leave. One round trip each. */

import { and, asc, eq, sql } from 'drizzle-orm'
import * as z from 'zod'
import { normaliseJoinCode } from '../classes/join-code.ts'
import { classes, classMembers } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { JoinClassSchema, MyClassSchema } from '../schemas/classes.ts'
import { uuidParam } from '../schemas/common.ts'
import { getCurrentLearner } from '../session/learner.ts'
import { learnerRoute } from './define.ts'

const myClass = { id: classes.id, name: classes.name, joinedAt: classMembers.joinedAt }
const present = (row: { id: string; name: string; joinedAt: Date }) => ({
  ...row,
  joinedAt: row.joinedAt.toISOString(),
})

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
      request: jsonBody(JoinClassSchema),
      responses: {
        201: jsonResponse(MyClassSchema, 'Joined'),
        200: jsonResponse(MyClassSchema, 'Already a member'),
        ...problemResponses(404),
      },
    }),
    async function joinClass(c) {
      const code = normaliseJoinCode(c.req.valid('json').code)
      const { joined, joinedClass } = await getCurrentLearner(
        c,
        (db, learnerId) => ({
          joined: db.execute(sql`
            INSERT INTO ${classMembers} (class_id, learner_id)
            SELECT id, ${learnerId} FROM ${classes} WHERE join_code = ${code}
            ON CONFLICT DO NOTHING RETURNING class_id`),
          joinedClass: db
            .select(myClass)
            .from(classes)
            .innerJoin(
              classMembers,
              and(eq(classMembers.classId, classes.id), eq(classMembers.learnerId, learnerId)),
            )
            .where(eq(classes.joinCode, code)),
        }),
        { retry: false },
      )
      const [row] = joinedClass
      // The select runs in the same transaction after the insert, so it sees a membership just made.
      if (!row) throw new ApiError('not_found', 'No class has this code.')
      return c.json(present(row), joined.rows.length > 0 ? 201 : 200, PRIVATE)
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
    async function myClasses(c) {
      const { rows } = await getCurrentLearner(c, (db, learnerId) => ({
        rows: db
          .select(myClass)
          .from(classMembers)
          .innerJoin(classes, eq(classes.id, classMembers.classId))
          .where(eq(classMembers.learnerId, learnerId))
          .orderBy(asc(classes.name), asc(classes.id)),
      }))
      return c.json({ items: rows.map(present) }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me/classes/{classId}',
      tags: ['Learner'],
      summary: 'Leave a class',
      request: { params: uuidParam('classId') },
      responses: { 204: emptyResponse('Left'), ...problemResponses(400, 404) },
    }),
    async function leaveClass(c) {
      const { classId } = c.req.valid('param')
      const { left } = await getCurrentLearner(
        c,
        (db, learnerId) => ({
          left: db
            .delete(classMembers)
            .where(and(eq(classMembers.classId, classId), eq(classMembers.learnerId, learnerId)))
            .returning({ classId: classMembers.classId }),
        }),
        { retry: false },
      )
      if (left.length === 0) throw new ApiError('not_found', 'This learner is not in that class.')
      return c.body(null, 204)
    },
  )
