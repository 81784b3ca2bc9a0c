/** Teachers' classes: create one (with its join code), list them with how many joined, delete one. */

import { asc, eq, sql } from 'drizzle-orm'
import * as z from 'zod'
import { newJoinCode } from '../../classes/join-code.ts'
import { retryReads } from '../../db/retry.ts'
import { classes, classMembers } from '../../db/schema.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { AdminClassSchema, CreateClassSchema } from '../../schemas/classes.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

const members =
  sql<number>`(SELECT count(*) FROM ${classMembers} m WHERE m.class_id = ${classes}.id)`.mapWith(Number)

const present = (
  row: typeof classes.$inferSelect & { members: number },
): z.infer<typeof AdminClassSchema> => ({
  id: row.id,
  name: row.name,
  joinCode: row.joinCode,
  members: row.members,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
})

export const adminClasses = createRouter()
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/classes', 'classes', 'Create a class, with a new join code'),
      request: jsonBody(CreateClassSchema),
      responses: { 201: jsonResponse(AdminClassSchema, 'Created'), ...failures },
    }),
    async function createClass(c) {
      const rows = await c.var.db
        .insert(classes)
        .values({ name: c.req.valid('json').name, joinCode: newJoinCode(), createdBy: c.var.author })
        .returning()
      return c.json(present({ ...found(rows, 'class'), members: 0 }), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/classes', 'classes', 'Every class, with how many learners joined'),
      responses: { 200: jsonResponse(z.object({ items: z.array(AdminClassSchema) }), 'Classes by name') },
    }),
    async function listClasses(c) {
      const rows = await retryReads(() =>
        c.var.db.select({ row: classes, members }).from(classes).orderBy(asc(classes.name), asc(classes.id)),
      )
      return c.json(
        { items: rows.map(({ row, members: count }) => present({ ...row, members: count })) },
        200,
        NO_STORE,
      )
    },
  )
  .openapi(
    adminRoute({
      ...route(
        'delete',
        '/v1/admin/classes/{classId}',
        'classes',
        'Delete a class (its learners keep their progress)',
      ),
      request: { params: uuidParam('classId') },
      responses: { ...deleted, ...failures },
    }),
    async function deleteClass(c) {
      found(
        await c.var.db
          .delete(classes)
          .where(eq(classes.id, c.req.valid('param').classId))
          .returning({ id: classes.id }),
        'class',
      )
      return c.body(null, 204)
    },
  )
