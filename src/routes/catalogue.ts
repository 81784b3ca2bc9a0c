/**
 * The public catalogue: no cookie is read, every read is one round trip (none from the edge cache),
 * and responses are cacheable. Learners never see answer keys: activity content goes through
 * learnerView().
 */

import { and, asc, eq, gt, or, sql } from 'drizzle-orm'
import * as z from 'zod'
import { catalogueKeys } from '../catalogue/edge-cache.ts'
import { prerequisitesJson } from '../catalogue/prerequisites.ts'
import { activityPublished, inPublishedSkill, skillPublished } from '../catalogue/publication.ts'
import { retryReads } from '../db/retry.ts'
import { activities, skills, units } from '../db/schema.ts'
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

/** Summaries of a unit's activities, ordered, without shipping their content over the wire. */
const activitySummaries = {
  columns: { id: true, unitId: true, name: true, description: true, type: true, order: true } as const,
  extras: {
    questionCount: sql<number>`jsonb_array_length(${activities.content}->'questions')`.as('question_count'),
  },
  orderBy: [asc(activities.order), asc(activities.id)],
  where: activityPublished,
}

const SkillCursor = z.tuple([wellFormedText, z.uuid()])

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
      const rows = await retryReads(() =>
        c.var.db
          .select({ skill: skills, prerequisites: prerequisitesJson(sql`${skills}.id`) })
          .from(skills)
          .where(
            and(
              skillPublished,
              after && or(gt(skills.name, after[0]), and(eq(skills.name, after[0]), gt(skills.id, after[1]))),
            ),
          )
          .orderBy(asc(skills.name), asc(skills.id))
          .limit(limit + 1),
      )
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      const nextCursor = rows.length > limit && last ? encodeCursor([last.skill.name, last.skill.id]) : null
      return c.json(
        { items: items.map((row) => presentCatalogueSkill(row.skill, row.prerequisites)), nextCursor },
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
      const skill = await retryReads(() =>
        c.var.db.query.skills.findFirst({
          where: and(eq(skills.id, skillId), skillPublished),
          extras: (table) => ({ prerequisites: prerequisitesJson(table.id).as('prerequisites') }),
          with: {
            units: { orderBy: [asc(units.order), asc(units.id)], with: { activities: activitySummaries } },
          },
        }),
      )
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
      const unit = await retryReads(() =>
        c.var.db.query.units.findFirst({
          where: (unit) => and(eq(unit.id, unitId), inPublishedSkill(unit.skillId)),
          with: { activities: activitySummaries },
        }),
      )
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
      const [activity] = await retryReads(() =>
        c.var.db
          .select({ activity: activities })
          .from(activities)
          .innerJoin(units, eq(units.id, activities.unitId))
          .innerJoin(skills, eq(skills.id, units.skillId))
          .where(and(eq(activities.id, activityId), activityPublished, skillPublished)),
      )
      if (!activity) throw new ApiError('not_found', 'No activity with this id.')
      return c.json(presentActivity(activity.activity), 200, CATALOGUE)
    },
  )
