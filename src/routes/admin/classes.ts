/** Teachers' classes: create one (with its join code), list them with how many joined, delete one. */

import * as z from 'zod'
import { createClass, deleteClass, listClasses, type TaughtClass } from '../../classes/teaching.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { AdminClassSchema, CreateClassSchema } from '../../schemas/classes.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, route } from './shared.ts'

const present = (row: TaughtClass): z.infer<typeof AdminClassSchema> => ({
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
    async function create(c) {
      const made = await createClass(c.var.db, c.var.author, c.req.valid('json').name)
      return c.json(present(made), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/classes', 'classes', 'Every class, with how many learners joined'),
      responses: { 200: jsonResponse(z.object({ items: z.array(AdminClassSchema) }), 'Classes by name') },
    }),
    async function list(c) {
      const rows = await listClasses(c.var.db)
      return c.json({ items: rows.map(present) }, 200, NO_STORE)
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
    async function remove(c) {
      if (!(await deleteClass(c.var.db, c.req.valid('param').classId))) {
        throw new ApiError('not_found', 'No class with this id.')
      }
      return c.body(null, 204, NO_STORE)
    },
  )
