/**
 * The public catalogue: no cookie is read, every read is one round trip (none from the edge cache),
 * and responses are cacheable. Learners never see answer keys: activity content goes through
 * learnerView().
 */

import * as z from 'zod'
import { catalogueKeys } from '../catalogue/edge-cache.ts'
import { publishedActivity, publishedSkillTree, publishedUnit, skillPage } from '../catalogue/reads.ts'
import { ApiError } from '../errors.ts'
import { CATALOGUE } from '../http/cache-control.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import {
  ActivitySchema,
  CatalogueSkillSchema,
  presentActivity,
  presentCatalogueSkill,
  presentUnitWithActivities,
  SkillTreeSchema,
  UnitWithActivitiesSchema,
} from '../schemas/catalogue.ts'
import {
  cursorQuery,
  decodeCursor,
  encodeCursor,
  limitQuery,
  page,
  uuidParam,
  wellFormedText,
} from '../schemas/common.ts'
import { catalogueRoute } from './define.ts'

const SkillCursor = z.tuple([wellFormedText, z.guid()])

export const catalogue = createRouter()
  .openapi(
    catalogueRoute(
      {
        method: 'get',
        path: '/v1/skills',
        tags: ['Catalogue'],
        summary: 'List skills, by name (keyset pagination)',
        request: { query: z.object({ limit: limitQuery, cursor: cursorQuery }) },
        responses: {
          200: jsonResponse(page(CatalogueSkillSchema, 'SkillPage'), 'A page of skills'),
          ...problemResponses(400),
        },
      },
      catalogueKeys.skillList,
    ),
    async function listSkills(c) {
      const { limit, cursor } = c.req.valid('query')
      const after = decodeCursor(cursor, SkillCursor)
      const found = await skillPage(c.var.db, limit, after)
      const nextCursor = found.next && encodeCursor(found.next)
      return c.json(
        { items: found.items.map((row) => presentCatalogueSkill(row.skill, row.prerequisites)), nextCursor },
        200,
        CATALOGUE,
      )
    },
  )
  .openapi(
    catalogueRoute(
      {
        method: 'get',
        path: '/v1/skills/{skillId}',
        tags: ['Catalogue'],
        summary: 'A skill with its units and their activities, ordered (one query)',
        request: { params: uuidParam('skillId') },
        responses: { 200: jsonResponse(SkillTreeSchema, 'The skill tree'), ...problemResponses(400, 404) },
      },
      (c) => catalogueKeys.skillTree(c.req.param('skillId') ?? ''),
    ),
    async function skillTree(c) {
      const { skillId } = c.req.valid('param')
      const skill = await publishedSkillTree(c.var.db, skillId)
      if (!skill) throw new ApiError('not_found', 'No skill with this id.')
      return c.json(
        {
          ...presentCatalogueSkill(skill, skill.prerequisites),
          units: skill.units.map(presentUnitWithActivities),
        },
        200,
        CATALOGUE,
      )
    },
  )
  .openapi(
    catalogueRoute(
      {
        method: 'get',
        path: '/v1/units/{unitId}',
        tags: ['Catalogue'],
        summary: 'A unit with its activities, ordered',
        request: { params: uuidParam('unitId') },
        responses: { 200: jsonResponse(UnitWithActivitiesSchema, 'The unit'), ...problemResponses(400, 404) },
      },
      (c) => catalogueKeys.unit(c.req.param('unitId') ?? ''),
    ),
    async function unitWithActivities(c) {
      const { unitId } = c.req.valid('param')
      const unit = await publishedUnit(c.var.db, unitId)
      if (!unit) throw new ApiError('not_found', 'No unit with this id.')
      return c.json(presentUnitWithActivities(unit), 200, CATALOGUE)
    },
  )
  .openapi(
    catalogueRoute(
      {
        method: 'get',
        path: '/v1/activities/{activityId}',
        tags: ['Catalogue'],
        summary: 'An activity with its questions (no answer keys)',
        request: { params: uuidParam('activityId') },
        responses: { 200: jsonResponse(ActivitySchema, 'The activity'), ...problemResponses(400, 404) },
      },
      (c) => catalogueKeys.activity(c.req.param('activityId') ?? ''),
    ),
    async function activityForLearners(c) {
      const { activityId } = c.req.valid('param')
      const activity = await publishedActivity(c.var.db, activityId)
      if (!activity) throw new ApiError('not_found', 'No activity with this id.')
      return c.json(presentActivity(activity.activity, activity), 200, CATALOGUE)
    },
  )
