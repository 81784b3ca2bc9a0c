/**
 * The catalogue's shape, for authors: what a delete would cascade to (before they confirm it), and a
 * skill's units and activities reordered in one atomic request. One round trip each.
 */
import * as z from 'zod'
import { type CascadeKind, countCascade, reorderSkill } from '../../catalogue/structure.ts'
import type { Db } from '../../db/client.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse, problemResponses } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { id } from '../../schemas/admin.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { failures, route } from './shared.ts'

const CascadeSchema = z
  .object({
    units: z.int(),
    activities: z.int(),
    attempts: z.int().meta({ description: 'Learners’ attempts (any status) on the activities that go.' }),
    learners: z.int().meta({ description: 'How many learners those attempts belong to.' }),
    skillStates: z.int().meta({ description: 'Learners’ states on the skill (a skill only).' }),
    prerequisites: z.int().meta({ description: 'Prerequisite edges from or to the skill (a skill only).' }),
  })
  .meta({ id: 'DeleteCascade', description: 'What deleting this would delete with it. Nothing is deleted.' })

const unique = (ids: string[]) => new Set(ids).size === ids.length

const ReorderSchema = z
  .strictObject({
    units: z
      .array(
        z.strictObject({
          id,
          activities: z.array(id).max(500).refine(unique, 'each activity once').meta({
            description: 'Every activity of the unit, in their new order.',
          }),
        }),
      )
      .max(200)
      .refine((units) => unique(units.map((u) => u.id)), 'each unit once')
      .meta({ description: 'Every unit of the skill, in their new order.' }),
  })
  .meta({
    id: 'SkillOrder',
    example: {
      units: [
        { id: '00000000-0000-4000-8000-000000000102', activities: ['00000000-0000-4000-8000-000000001003'] },
        { id: '00000000-0000-4000-8000-000000000101', activities: [] },
      ],
    },
  })

const cascadeRoute = <P extends string, K extends string>(
  kind: CascadeKind,
  path: P,
  param: K,
  tag: string,
) =>
  adminRoute({
    ...route('get', path, tag, `What deleting this ${kind} would take with it`),
    request: { params: uuidParam(param) },
    responses: { 200: jsonResponse(CascadeSchema, 'The counts'), ...failures },
  })

async function cascadeOf(db: Db, kind: CascadeKind, targetId: string) {
  const counts = await countCascade(db, kind, targetId)
  if (!counts) throw new ApiError('not_found', `No ${kind} with this id.`)
  return counts
}

export const adminStructure = createRouter()
  .openapi(cascadeRoute('skill', '/v1/admin/skills/{skillId}/cascade', 'skillId', 'skills'), async (c) =>
    c.json(await cascadeOf(c.var.db, 'skill', c.req.valid('param').skillId), 200, NO_STORE),
  )
  .openapi(cascadeRoute('unit', '/v1/admin/units/{unitId}/cascade', 'unitId', 'units'), async (c) =>
    c.json(await cascadeOf(c.var.db, 'unit', c.req.valid('param').unitId), 200, NO_STORE),
  )
  .openapi(
    cascadeRoute('activity', '/v1/admin/activities/{activityId}/cascade', 'activityId', 'activities'),
    async (c) =>
      c.json(await cascadeOf(c.var.db, 'activity', c.req.valid('param').activityId), 200, NO_STORE),
  )
  .openapi(
    adminRoute({
      ...route('put', '/v1/admin/skills/{skillId}/order', 'skills', 'Reorder a skill’s units and activities'),
      description:
        'Lists every unit of the skill and every activity of each unit in their new order; positions are ' +
        'numbered from 0. All or nothing: a list that misses or adds a unit or activity (say, one another ' +
        'author added meanwhile) is a 409 and changes nothing. One round trip.',
      request: { params: uuidParam('skillId'), ...jsonBody(ReorderSchema) },
      responses: { 204: { description: 'Reordered' }, ...failures, ...problemResponses(409) },
    }),
    async function reorder(c) {
      const { skillId } = c.req.valid('param')
      const { units: order } = c.req.valid('json')
      const outcome = await reorderSkill(c.var.db, skillId, order, c.var.author)
      if (outcome === 'incomplete') {
        throw new ApiError(
          'conflict',
          'The order must list every unit of the skill, and every activity of each unit, exactly once.',
        )
      }
      if (outcome === 'no_skill') throw new ApiError('not_found', 'No skill with this id.')
      return c.body(null, 204, NO_STORE)
    },
  )
