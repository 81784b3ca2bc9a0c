import {
  activityForAuthors,
  createActivity,
  deleteActivity,
  updateActivity,
} from '../../catalogue/activity-writes.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateActivitySchema, UpdateActivitySchema } from '../../schemas/admin.ts'
import { AdminActivitySchema, presentAdminActivity } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

export const adminActivities = createRouter()
  .openapi(
    adminRoute({
      ...route(
        'post',
        '/v1/admin/activities',
        'activities',
        'Create an activity (content validated per question kind)',
      ),
      request: jsonBody(CreateActivitySchema),
      responses: { 201: jsonResponse(AdminActivitySchema, 'Created'), ...failures },
    }),
    async function create(c) {
      const activity = await createActivity(c.var.db, c.var.author, c.req.valid('json'))
      return c.json(presentAdminActivity(activity), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/activities/{activityId}', 'activities', 'An activity with its answer keys'),
      request: { params: uuidParam('activityId') },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async function read(c) {
      const activity = found(await activityForAuthors(c.var.db, c.req.valid('param').activityId), 'activity')
      return c.json(presentAdminActivity(activity), 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('patch', '/v1/admin/activities/{activityId}', 'activities', 'Update or move an activity'),
      request: { params: uuidParam('activityId'), ...jsonBody(UpdateActivitySchema) },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async function update(c) {
      const { activityId } = c.req.valid('param')
      const activity = found(
        await updateActivity(c.var.db, c.var.author, activityId, c.req.valid('json')),
        'activity',
      )
      return c.json(presentAdminActivity(activity), 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route(
        'delete',
        '/v1/admin/activities/{activityId}',
        'activities',
        'Delete an activity and its attempts',
      ),
      request: { params: uuidParam('activityId') },
      responses: { ...deleted, ...failures },
    }),
    async function remove(c) {
      if (!(await deleteActivity(c.var.db, c.req.valid('param').activityId))) {
        throw new ApiError('not_found', 'No activity with this id.')
      }
      return c.body(null, 204, NO_STORE)
    },
  )
