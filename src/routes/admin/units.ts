import { createRoute } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { units } from '../../db/schema.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateUnitSchema, UpdateUnitSchema } from '../../schemas/admin.ts'
import { presentUnit, UnitSchema } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { deleted, failures, found, NO_STORE, purge, route } from './shared.ts'

export const adminUnits = createRouter()
  .openapi(
    createRoute({
      ...route('post', '/v1/admin/units', 'units', 'Create a unit in a skill'),
      request: jsonBody(CreateUnitSchema),
      responses: { 201: jsonResponse(UnitSchema, 'Created'), ...failures },
    }),
    async (c) => {
      const unit = found(await c.var.db.insert(units).values(c.req.valid('json')).returning(), 'unit')
      await purge(`/v1/skills/${unit.skillId}`)
      return c.json(presentUnit(unit), 201, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('patch', '/v1/admin/units/{unitId}', 'units', 'Update or move a unit'),
      request: { params: uuidParam('unitId'), ...jsonBody(UpdateUnitSchema) },
      responses: { 200: jsonResponse(UnitSchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db
        .update(units)
        .set(c.req.valid('json'))
        .where(eq(units.id, c.req.valid('param').unitId))
        .returning()
      const unit = found(rows, 'unit')
      await purge(`/v1/units/${unit.id}`, `/v1/skills/${unit.skillId}`)
      return c.json(presentUnit(unit), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('delete', '/v1/admin/units/{unitId}', 'units', 'Delete a unit and its activities'),
      request: { params: uuidParam('unitId') },
      responses: { ...deleted, ...failures },
    }),
    async (c) => {
      const { id, skillId } = found(
        await c.var.db
          .delete(units)
          .where(eq(units.id, c.req.valid('param').unitId))
          .returning({ id: units.id, skillId: units.skillId }),
        'unit',
      )
      await purge(`/v1/units/${id}`, `/v1/skills/${skillId}`)
      return c.body(null, 204)
    },
  )
