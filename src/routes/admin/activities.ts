import { eq, getTableColumns, sql } from 'drizzle-orm'
import { purgeCatalogue } from '../../catalogue/edge-cache.ts'
import { publishedAtOnCreate, publishedAtOnUpdate } from '../../catalogue/publication.ts'
import { retryReads } from '../../db/retry.ts'
import { activities, units } from '../../db/schema.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateActivitySchema, UpdateActivitySchema } from '../../schemas/admin.ts'
import { AdminActivitySchema, presentAdminActivity } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

/** The skill of the current `activities` row, whose cached tree a write makes stale. */
const skillId = sql<string>`(SELECT u.skill_id FROM ${units} u WHERE u.id = ${activities}.unit_id)`

/**
 * The written activity, its skill, and the unit and skill it was in before: a statement does not
 * see its own changes, so these subqueries of RETURNING read the row as it was. (Drizzle leaves a
 * column of the returned table unqualified inside RETURNING, hence `${activities}.id`.)
 */
const withParents = {
  ...getTableColumns(activities),
  skillId,
  previousUnitId: sql<string>`(SELECT a.unit_id FROM ${activities} a WHERE a.id = ${activities}.id)`,
  previousSkillId: sql<string>`(SELECT u.skill_id FROM ${activities} a JOIN ${units} u ON u.id = a.unit_id
    WHERE a.id = ${activities}.id)`,
}

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
    async function createActivity(c) {
      const { status, ...fields } = c.req.valid('json')
      const rows = await c.var.db
        .insert(activities)
        .values({ ...fields, publishedAt: publishedAtOnCreate(status), updatedBy: c.var.author })
        .returning({ ...getTableColumns(activities), skillId })
      const { skillId: parentSkillId, ...activity } = found(rows, 'activity')
      await purgeCatalogue({ units: [activity.unitId], skills: [parentSkillId] })
      return c.json(presentAdminActivity(activity), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/activities/{activityId}', 'activities', 'An activity with its answer keys'),
      request: { params: uuidParam('activityId') },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async function activityForAuthors(c) {
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
    adminRoute({
      ...route('patch', '/v1/admin/activities/{activityId}', 'activities', 'Update or move an activity'),
      request: { params: uuidParam('activityId'), ...jsonBody(UpdateActivitySchema) },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async function updateActivity(c) {
      const { status, ...fields } = c.req.valid('json')
      const rows = await c.var.db
        .update(activities)
        .set({
          ...fields,
          publishedAt: publishedAtOnUpdate(status, activities.publishedAt),
          updatedBy: c.var.author,
        })
        .where(eq(activities.id, c.req.valid('param').activityId))
        .returning(withParents)
      const { skillId: parentSkillId, previousUnitId, previousSkillId, ...activity } = found(rows, 'activity')
      await purgeCatalogue({
        activities: [activity.id],
        units: [activity.unitId, previousUnitId],
        skills: [parentSkillId, previousSkillId],
      })
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
    async function deleteActivity(c) {
      const {
        id,
        unitId,
        skillId: parentSkillId,
      } = found(
        await c.var.db
          .delete(activities)
          .where(eq(activities.id, c.req.valid('param').activityId))
          .returning({ id: activities.id, unitId: activities.unitId, skillId }),
        'activity',
      )
      await purgeCatalogue({ activities: [id], units: [unitId], skills: [parentSkillId] })
      return c.body(null, 204)
    },
  )
