import { createUnit, deleteUnit, updateUnit } from '../../catalogue/unit-writes.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateUnitSchema, UpdateUnitSchema } from '../../schemas/admin.ts'
import { AdminUnitSchema, presentAdminUnit } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

export const adminUnits = createRouter()
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/units', 'units', 'Create a unit in a skill'),
      request: jsonBody(CreateUnitSchema),
      responses: { 201: jsonResponse(AdminUnitSchema, 'Created'), ...failures },
    }),
    async function create(c) {
      const unit = await createUnit(c.var.db, c.var.author, c.req.valid('json'))
      return c.json(presentAdminUnit(unit), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('patch', '/v1/admin/units/{unitId}', 'units', 'Update or move a unit'),
      request: { params: uuidParam('unitId'), ...jsonBody(UpdateUnitSchema) },
      responses: { 200: jsonResponse(AdminUnitSchema, 'The resource'), ...failures },
    }),
    async function update(c) {
      const { unitId } = c.req.valid('param')
      const unit = found(await updateUnit(c.var.db, c.var.author, unitId, c.req.valid('json')), 'unit')
      return c.json(presentAdminUnit(unit), 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('delete', '/v1/admin/units/{unitId}', 'units', 'Delete a unit and its activities'),
      request: { params: uuidParam('unitId') },
      responses: { ...deleted, ...failures },
    }),
    async function remove(c) {
      if (!(await deleteUnit(c.var.db, c.req.valid('param').unitId)))
        throw new ApiError('not_found', 'No unit with this id.')
      return c.body(null, 204, NO_STORE)
    },
  )
