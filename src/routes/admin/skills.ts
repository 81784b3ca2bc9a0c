import { createRoute } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { skills } from '../../db/schema.ts'
import { jsonBody, jsonResponse } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateSkillSchema, UpdateSkillSchema } from '../../schemas/admin.ts'
import { presentSkill, SkillSchema } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { deleted, failures, found, NO_STORE, purge, route } from './shared.ts'

export const adminSkills = createRouter()
  .openapi(
    createRoute({
      ...route('post', '/v1/admin/skills', 'skills', 'Create a skill'),
      request: jsonBody(CreateSkillSchema),
      responses: { 201: jsonResponse(SkillSchema, 'Created'), ...failures },
    }),
    async (c) => {
      const skill = found(await c.var.db.insert(skills).values(c.req.valid('json')).returning(), 'skill')
      await purge('/v1/skills')
      return c.json(presentSkill(skill), 201, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('patch', '/v1/admin/skills/{skillId}', 'skills', 'Update a skill'),
      request: { params: uuidParam('skillId'), ...jsonBody(UpdateSkillSchema) },
      responses: { 200: jsonResponse(SkillSchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db
        .update(skills)
        .set(c.req.valid('json'))
        .where(eq(skills.id, c.req.valid('param').skillId))
        .returning()
      const skill = found(rows, 'skill')
      await purge('/v1/skills', `/v1/skills/${skill.id}`)
      return c.json(presentSkill(skill), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route(
        'delete',
        '/v1/admin/skills/{skillId}',
        'skills',
        'Delete a skill, its units, activities and all progress on them',
      ),
      request: { params: uuidParam('skillId') },
      responses: { ...deleted, ...failures },
    }),
    async (c) => {
      const { id } = found(
        await c.var.db
          .delete(skills)
          .where(eq(skills.id, c.req.valid('param').skillId))
          .returning({ id: skills.id }),
        'skill',
      )
      await purge('/v1/skills', `/v1/skills/${id}`)
      return c.body(null, 204)
    },
  )
