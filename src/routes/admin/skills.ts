import { eq, getTableColumns, sql } from 'drizzle-orm'
import { purgeCatalogue } from '../../catalogue/edge-cache.ts'
import { addPrerequisiteBatch, removePrerequisiteBatch } from '../../catalogue/prerequisites.ts'
import { publishedAtOnCreate, publishedAtOnUpdate } from '../../catalogue/publication.ts'
import { AssertionFailed, asserting } from '../../db/assert.ts'
import { activities, skills, units } from '../../db/schema.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse, problemResponses } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateSkillSchema, UpdateSkillSchema } from '../../schemas/admin.ts'
import { AdminSkillSchema, presentAdminSkill, SkillPrerequisitesSchema } from '../../schemas/catalogue.ts'
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

const edgeParams = uuidParam('skillId').extend(uuidParam('requiredSkillId').shape)

/** A prerequisite edit changes the skill's tree and the skill list (both show prerequisites). */
const purgePrerequisitesOf = (skillId: string) => purgeCatalogue({ skillList: true, skills: [skillId] })

export const adminSkills = createRouter()
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/skills', 'skills', 'Create a skill'),
      request: jsonBody(CreateSkillSchema),
      responses: { 201: jsonResponse(AdminSkillSchema, 'Created'), ...failures },
    }),
    async function createSkill(c) {
      const { status, ...fields } = c.req.valid('json')
      const skill = found(
        await c.var.db
          .insert(skills)
          .values({ ...fields, publishedAt: publishedAtOnCreate(status), updatedBy: c.var.author })
          .returning(),
        'skill',
      )
      await purgeCatalogue({ skillList: true })
      return c.json(presentAdminSkill(skill), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('patch', '/v1/admin/skills/{skillId}', 'skills', 'Update a skill'),
      request: { params: uuidParam('skillId'), ...jsonBody(UpdateSkillSchema) },
      responses: { 200: jsonResponse(AdminSkillSchema, 'The resource'), ...failures },
    }),
    async function updateSkill(c) {
      const { status, ...fields } = c.req.valid('json')
      const rows = await c.var.db
        .update(skills)
        .set({
          ...fields,
          publishedAt: publishedAtOnUpdate(status, skills.publishedAt),
          updatedBy: c.var.author,
        })
        .where(eq(skills.id, c.req.valid('param').skillId))
        .returning({ ...getTableColumns(skills), ...underSkill })
      const { unitIds, activityIds, ...skill } = found(rows, 'skill')
      // Publishing or unpublishing a skill shows or hides its units and activities too.
      await purgeCatalogue({
        skillList: true,
        skills: [skill.id],
        ...(status && { units: unitIds, activities: activityIds }),
      })
      return c.json(presentAdminSkill(skill), 200, NO_STORE)
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
  .openapi(
    adminRoute({
      ...route(
        'put',
        '/v1/admin/skills/{skillId}/prerequisites/{requiredSkillId}',
        'skills',
        'Make a skill require another (idempotent; a cycle is refused)',
      ),
      request: { params: edgeParams },
      responses: {
        200: jsonResponse(SkillPrerequisitesSchema, 'The skill’s prerequisites now'),
        ...failures,
        ...problemResponses(409),
      },
    }),
    async function addPrerequisite(c) {
      const { skillId, requiredSkillId } = c.req.valid('param')
      const [, , , [exists], prerequisites] = await asserting(() =>
        addPrerequisiteBatch(c.var.db, skillId, requiredSkillId),
      ).catch((error: unknown) => {
        if (error instanceof AssertionFailed && error.assertion === 'prerequisite_acyclic') {
          throw new ApiError(
            'conflict',
            skillId === requiredSkillId
              ? 'A skill cannot require itself.'
              : 'The required skill already builds on this skill: the prerequisite would close a cycle.',
          )
        }
        throw error
      })
      if (!exists?.skill) throw new ApiError('not_found', 'No skill with this id.')
      if (!exists.required) throw new ApiError('not_found', 'No skill with the required skill’s id.')
      await purgePrerequisitesOf(skillId)
      return c.json({ skillId, prerequisites }, 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route(
        'delete',
        '/v1/admin/skills/{skillId}/prerequisites/{requiredSkillId}',
        'skills',
        'Stop requiring a skill',
      ),
      request: { params: edgeParams },
      responses: { 204: emptyResponse('Removed'), ...failures },
    }),
    async function removePrerequisite(c) {
      const { skillId, requiredSkillId } = c.req.valid('param')
      const [, removed] = await removePrerequisiteBatch(c.var.db, skillId, requiredSkillId)
      if (removed.length === 0) throw new ApiError('not_found', 'This skill does not require that skill.')
      await purgePrerequisitesOf(skillId)
      return c.body(null, 204)
    },
  )
