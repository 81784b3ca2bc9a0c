import { eq, getTableColumns, sql } from 'drizzle-orm'
import { purgeCatalogue } from '../../catalogue/edge-cache.ts'
import { activities, units } from '../../db/schema.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateUnitSchema, UpdateUnitSchema } from '../../schemas/admin.ts'
import { AdminUnitSchema, presentAdminUnit } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

/**
 * The updated unit and the skill it was in before: a statement does not see its own changes, so
 * this subquery of RETURNING reads the row as it was. (Drizzle leaves a column of the returned table
 * unqualified inside RETURNING, hence `${units}.id`.)
 */
const withPreviousSkill = {
  ...getTableColumns(units),
  previousSkillId: sql<string>`(SELECT u.skill_id FROM ${units} u WHERE u.id = ${units}.id)`,
}

export const adminUnits = createRouter()
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/units', 'units', 'Create a unit in a skill'),
      request: jsonBody(CreateUnitSchema),
      responses: { 201: jsonResponse(AdminUnitSchema, 'Created'), ...failures },
    }),
    async function createUnit(c) {
      const unit = found(
        await c.var.db
          .insert(units)
          .values({ ...c.req.valid('json'), updatedBy: c.var.author })
          .returning(),
        'unit',
      )
      await purgeCatalogue({ skills: [unit.skillId] })
      return c.json(presentAdminUnit(unit), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('patch', '/v1/admin/units/{unitId}', 'units', 'Update or move a unit'),
      request: { params: uuidParam('unitId'), ...jsonBody(UpdateUnitSchema) },
      responses: { 200: jsonResponse(AdminUnitSchema, 'The resource'), ...failures },
    }),
    async function updateUnit(c) {
      const rows = await c.var.db
        .update(units)
        .set({ ...c.req.valid('json'), updatedBy: c.var.author })
        .where(eq(units.id, c.req.valid('param').unitId))
        .returning(withPreviousSkill)
      const { previousSkillId, ...unit } = found(rows, 'unit')
      await purgeCatalogue({ units: [unit.id], skills: [unit.skillId, previousSkillId] })
      return c.json(presentAdminUnit(unit), 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('delete', '/v1/admin/units/{unitId}', 'units', 'Delete a unit and its activities'),
      request: { params: uuidParam('unitId') },
      responses: { ...deleted, ...failures },
    }),
    async function deleteUnit(c) {
      const { id, skillId, activityIds } = found(
        await c.var.db
          .delete(units)
          .where(eq(units.id, c.req.valid('param').unitId))
          .returning({
            id: units.id,
            skillId: units.skillId,
            // The cascaded activities, still visible to the statement's own snapshot.
            activityIds: sql<
              string[]
            >`(SELECT coalesce(json_agg(a.id), '[]') FROM ${activities} a WHERE a.unit_id = ${units}.id)`,
          }),
        'unit',
      )
      await purgeCatalogue({ units: [id], skills: [skillId], activities: activityIds })
      return c.body(null, 204)
    },
  )
