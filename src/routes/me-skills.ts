/** This learner's progress per skill. One round trip each. */
import { z } from '@hono/zod-openapi'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { bktParameters } from '../mastery/bkt.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { mySkills, unitProgress } from '../progress/queries.ts'
import { createRouter } from '../router.ts'
import { uuidParam } from '../schemas/common.ts'
import { MySkillDetailSchema, MySkillSchema, presentSkillState } from '../schemas/progress.ts'
import { getCurrentLearner } from '../session/learner.ts'
import { learnerRoute } from './define.ts'

type MySkillRow = Awaited<ReturnType<typeof mySkills>>[number]

const contextOf = ({ skill, unitIds }: MySkillRow) => ({
  unitIds,
  pInit: bktParameters(skill.metadata).pInit,
})

const presentMySkill = (row: MySkillRow): z.infer<typeof MySkillSchema> => ({
  ...presentSkillState(row.skill.id, row.state, contextOf(row)),
  name: row.skill.name,
  level: row.skill.level,
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
      const { skills } = await getCurrentLearner(c, (db, learnerId) => ({ skills: mySkills(db, learnerId) }))
      return c.json({ items: skills.map(presentMySkill) }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/skills/{skillId}',
      tags: ['Progress'],
      summary: 'This learner’s state for one skill, with progress per unit',
      request: { params: uuidParam('skillId') },
      responses: {
        200: jsonResponse(MySkillDetailSchema, 'The skill state'),
        ...problemResponses(400, 404),
      },
    }),
    async function mySkillDetail(c) {
      const { skillId } = c.req.valid('param')
      const { skill, units } = await getCurrentLearner(c, (db, learnerId) => ({
        skill: mySkills(db, learnerId, skillId),
        units: unitProgress(db, learnerId, skillId),
      }))
      const [row] = skill
      if (!row) throw new ApiError('not_found', 'No skill with this id.')
      const { pInit } = contextOf(row)
      const knowledge = row.state?.unitKnowledge ?? {}
      return c.json(
        {
          ...presentMySkill(row),
          units: units.map((unit) => ({
            ...unit,
            knowledge: unit.activityCount > 0 ? (knowledge[unit.unitId] ?? pInit) : null,
          })),
        },
        200,
        PRIVATE,
      )
    },
  )
