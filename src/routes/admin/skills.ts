import { eq, sql } from 'drizzle-orm'
import { purgeCatalogue } from '../../catalogue/edge-cache.ts'
import { activities, skills, units } from '../../db/schema.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateSkillSchema, UpdateSkillSchema } from '../../schemas/admin.ts'
import { presentSkill, SkillSchema } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

/**
 * The ids under a deleted skill, whose cached reads go with it. RETURNING's subqueries read the
 * statement's snapshot, in which the cascaded rows still exist. (Drizzle leaves a column of the
 * returned table unqualified inside RETURNING, hence `${skills}.id`.)
 */
const underSkill = {
  unitIds: sql<
    string[]
  >`(SELECT coalesce(json_agg(u.id), '[]') FROM ${units} u WHERE u.skill_id = ${skills}.id)`,
  activityIds: sql<string[]>`(SELECT coalesce(json_agg(a.id), '[]') FROM ${activities} a
    JOIN ${units} u ON u.id = a.unit_id WHERE u.skill_id = ${skills}.id)`,
}

export const adminSkills = createRouter()
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/skills', 'skills', 'Create a skill'),
      request: jsonBody(CreateSkillSchema),
      responses: { 201: jsonResponse(SkillSchema, 'Created'), ...failures },
    }),
    async function createSkill(c) {
      const skill = found(await c.var.db.insert(skills).values(c.req.valid('json')).returning(), 'skill')
      await purgeCatalogue({ skillList: true })
      return c.json(presentSkill(skill), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('patch', '/v1/admin/skills/{skillId}', 'skills', 'Update a skill'),
      request: { params: uuidParam('skillId'), ...jsonBody(UpdateSkillSchema) },
      responses: { 200: jsonResponse(SkillSchema, 'The resource'), ...failures },
    }),
    async function updateSkill(c) {
      const rows = await c.var.db
        .update(skills)
        .set(c.req.valid('json'))
        .where(eq(skills.id, c.req.valid('param').skillId))
        .returning()
      const skill = found(rows, 'skill')
      await purgeCatalogue({ skillList: true, skills: [skill.id] })
      return c.json(presentSkill(skill), 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route(
        'delete',
        '/v1/admin/skills/{skillId}',
        'skills',
        'Delete a skill, its units, activities and all progress on them',
      ),
      request: { params: uuidParam('skillId') },
      responses: { ...deleted, ...failures },
    }),
    async function deleteSkill(c) {
      const { id, unitIds, activityIds } = found(
        await c.var.db
          .delete(skills)
          .where(eq(skills.id, c.req.valid('param').skillId))
          .returning({ id: skills.id, ...underSkill }),
        'skill',
      )
      await purgeCatalogue({ skillList: true, skills: [id], units: unitIds, activities: activityIds })
      return c.body(null, 204)
    },
  )
