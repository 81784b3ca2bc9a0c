import { createRoute } from '@hono/zod-openapi'
import { eq, getTableColumns, sql } from 'drizzle-orm'
import { retryReads } from '../../db/retry.ts'
import { activities, units } from '../../db/schema.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateActivitySchema, UpdateActivitySchema } from '../../schemas/admin.ts'
import { AdminActivitySchema, presentAdminActivity } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { deleted, failures, found, NO_STORE, purge, route } from './shared.ts'

/** The written row plus its skill, whose cached tree the write makes stale. */
const withSkill = {
  ...getTableColumns(activities),
  skillId: sql<string>`(SELECT ${units.skillId} FROM ${units} WHERE ${units.id} = ${activities.unitId})`,
}

export const adminActivities = createRouter()
  .openapi(
    createRoute({
      ...route(
        'post',
        '/v1/admin/activities',
        'activities',
        'Create an activity (content validated per question kind)',
      ),
      request: jsonBody(CreateActivitySchema),
      responses: { 201: jsonResponse(AdminActivitySchema, 'Created'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db.insert(activities).values(c.req.valid('json')).returning(withSkill)
      const { skillId, ...activity } = found(rows, 'activity')
      await purge(`/v1/units/${activity.unitId}`, `/v1/skills/${skillId}`)
      return c.json(presentAdminActivity(activity), 201, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('get', '/v1/admin/activities/{activityId}', 'activities', 'An activity with its answer keys'),
      request: { params: uuidParam('activityId') },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await retryReads(() =>
        c.var.db
          .select()
          .from(activities)
          .where(eq(activities.id, c.req.valid('param').activityId)),
      )
      return c.json(presentAdminActivity(found(rows, 'activity')), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('patch', '/v1/admin/activities/{activityId}', 'activities', 'Update or move an activity'),
      request: { params: uuidParam('activityId'), ...jsonBody(UpdateActivitySchema) },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db
        .update(activities)
        .set(c.req.valid('json'))
        .where(eq(activities.id, c.req.valid('param').activityId))
        .returning(withSkill)
      const { skillId, ...activity } = found(rows, 'activity')
      await purge(`/v1/activities/${activity.id}`, `/v1/units/${activity.unitId}`, `/v1/skills/${skillId}`)
      return c.json(presentAdminActivity(activity), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route(
        'delete',
        '/v1/admin/activities/{activityId}',
        'activities',
        'Delete an activity and its attempts',
      ),
      request: { params: uuidParam('activityId') },
      responses: { ...deleted, ...failures },
    }),
    async (c) => {
      const { id, unitId, skillId } = found(
        await c.var.db
          .delete(activities)
          .where(eq(activities.id, c.req.valid('param').activityId))
          .returning({ id: activities.id, unitId: activities.unitId, skillId: withSkill.skillId }),
        'activity',
      )
      await purge(`/v1/activities/${id}`, `/v1/units/${unitId}`, `/v1/skills/${skillId}`)
      return c.body(null, 204)
    },
  )
