import { purgeCatalogue } from '../../catalogue/edge-cache.ts'
import { addPrerequisite, removePrerequisite } from '../../catalogue/prerequisites.ts'
import { createSkill, deleteSkill, updateSkill } from '../../catalogue/skill-writes.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { emptyResponse, jsonBody, jsonResponse, problemResponses } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { CreateSkillSchema, UpdateSkillSchema } from '../../schemas/admin.ts'
import { AdminSkillSchema, presentAdminSkill, SkillPrerequisitesSchema } from '../../schemas/catalogue.ts'
import { uuidParam } from '../../schemas/common.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

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
    async function create(c) {
      const skill = await createSkill(c.var.db, c.var.author, c.req.valid('json'))
      return c.json(presentAdminSkill(skill), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('patch', '/v1/admin/skills/{skillId}', 'skills', 'Update a skill'),
      request: { params: uuidParam('skillId'), ...jsonBody(UpdateSkillSchema) },
      responses: { 200: jsonResponse(AdminSkillSchema, 'The resource'), ...failures },
    }),
    async function update(c) {
      const { skillId } = c.req.valid('param')
      const skill = found(await updateSkill(c.var.db, c.var.author, skillId, c.req.valid('json')), 'skill')
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
    async function remove(c) {
      if (!(await deleteSkill(c.var.db, c.req.valid('param').skillId)))
        throw new ApiError('not_found', 'No skill with this id.')
      return c.body(null, 204, NO_STORE)
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
    async function requireSkill(c) {
      const { skillId, requiredSkillId } = c.req.valid('param')
      const added = await addPrerequisite(c.var.db, skillId, requiredSkillId)
      if (added.outcome === 'cycle') {
        throw new ApiError(
          'conflict',
          skillId === requiredSkillId
            ? 'A skill cannot require itself.'
            : 'The required skill already builds on this skill: the prerequisite would close a cycle.',
        )
      }
      if (added.outcome === 'no_skill') throw new ApiError('not_found', 'No skill with this id.')
      if (added.outcome === 'no_required_skill')
        throw new ApiError('not_found', 'No skill with the required skill’s id.')
      await purgePrerequisitesOf(skillId)
      return c.json({ skillId, prerequisites: added.prerequisites }, 200, NO_STORE)
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
    async function stopRequiring(c) {
      const { skillId, requiredSkillId } = c.req.valid('param')
      if (!(await removePrerequisite(c.var.db, skillId, requiredSkillId))) {
        throw new ApiError('not_found', 'This skill does not require that skill.')
      }
      await purgePrerequisitesOf(skillId)
      return c.body(null, 204, NO_STORE)
    },
  )
