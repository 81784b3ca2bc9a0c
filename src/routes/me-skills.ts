/** This learner's progress per skill. One round trip each. */
import * as z from 'zod'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { mySkills, prerequisiteEdges, unitProgress } from '../progress/queries.ts'
import { type LearnerSkill, learnerSkills, recommendedAfter } from '../progress/reads/learner-skills.ts'
import { createRouter } from '../router.ts'
import { uuidParam } from '../schemas/common.ts'
import { MySkillDetailSchema, MySkillSchema } from '../schemas/progress.ts'
import { readLearner } from '../session/learner.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

const presentMySkill = (
  { skill, read }: LearnerSkill,
  after: ReturnType<typeof recommendedAfter>,
): z.infer<typeof MySkillSchema> => ({
  ...read,
  name: skill.name,
  level: skill.level,
  recommendedAfter: after,
})

export const meSkills = createRouter()
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/skills',
      tags: ['Progress'],
      summary: 'Every skill with this learner’s state (`not_started` where there is none)',
      responses: {
        200: jsonResponse(z.object({ items: z.array(MySkillSchema) }), 'Skills by name'),
      },
    }),
    async function listMySkills(c) {
      const { rows, edges } = await readLearner(learnerScope(c), (db, learnerId) => ({
        rows: mySkills(db, learnerId),
        edges: prerequisiteEdges(db),
      }))
      const skills = learnerSkills(rows, edges, new Date())
      const items = [...skills.values()].map((skill) =>
        presentMySkill(skill, recommendedAfter(skill, skills)),
      )
      return c.json({ items }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/skills/{skillId}',
      tags: ['Progress'],
      summary: 'This learner’s state for one skill, with progress and knowledge per unit',
      request: { params: uuidParam('skillId') },
      responses: {
        200: jsonResponse(MySkillDetailSchema, 'The skill state'),
        ...problemResponses(400, 404),
      },
    }),
    async function mySkillDetail(c) {
      const { skillId } = c.req.valid('param')
      const { rows, edges, units } = await readLearner(learnerScope(c), (db, learnerId) => ({
        rows: mySkills(db, learnerId, skillId),
        edges: prerequisiteEdges(db, skillId),
        units: unitProgress(db, learnerId, skillId),
      }))
      const skills = learnerSkills(rows, edges, new Date())
      const skill = skills.get(skillId)
      if (!skill) throw new ApiError('not_found', 'No skill with this id.')
      const knowledge = skill.state?.unitKnowledge ?? {}
      return c.json(
        {
          ...presentMySkill(skill, recommendedAfter(skill, skills)),
          units: units.map((unit) => ({
            ...unit,
            knowledge: unit.activityCount > 0 ? (knowledge[unit.unitId] ?? skill.pInit) : null,
          })),
        },
        200,
        PRIVATE,
      )
    },
  )
