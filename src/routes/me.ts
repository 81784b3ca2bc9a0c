/** The learner behind the session: profile, deletion, and progress per skill. One round trip each. */

import { createRoute, z } from '@hono/zod-openapi'
import { sql } from 'drizzle-orm'
import { retryReads } from '../db/retry.ts'
import { learners } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { mySkills, unitProgress } from '../progress/queries.ts'
import { createRouter } from '../router.ts'
import { uuidParam } from '../schemas/common.ts'
import { LearnerSchema, PRIVATE, UpdateLearnerSchema } from '../schemas/learner.ts'
import { MySkillDetailSchema, MySkillSchema, presentSkillState } from '../schemas/progress.ts'
import { clearedSessionCookie } from '../session/cookie.ts'
import { activeSession, identify, presentLearner } from '../session/learner.ts'
import { noSession, requireSession } from '../session/middleware.ts'

const presentMySkill = ({ skill, state }: Awaited<ReturnType<typeof mySkills>>[number]) => ({
  ...presentSkillState(skill.id, state),
  name: skill.name,
  level: skill.level,
})

export const me = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'The current learner',
      responses: { 200: jsonResponse(LearnerSchema, 'The learner'), ...problemResponses(401) },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const [, [learner]] = await retryReads(() => c.var.db.batch(identify(c.var.db, hash)))
      if (!learner) throw noSession(c)
      return c.json(presentLearner(learner), 200, PRIVATE)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'Change the display name',
      request: jsonBody(UpdateLearnerSchema),
      responses: {
        200: jsonResponse(LearnerSchema, 'The updated learner'),
        ...problemResponses(400, 401, 415),
      },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const { displayName } = c.req.valid('json')
      const [learner] = await c.var.db
        .update(learners)
        .set({ displayName, lastActiveAt: sql`now()` })
        .where(activeSession(hash))
        .returning()
      if (!learner) throw noSession(c)
      return c.json(presentLearner(learner), 200, PRIVATE)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/v1/me',
      tags: ['Learner'],
      summary: 'Delete the learner with all their attempts and skill states',
      responses: { 204: { description: 'Deleted; cookie cleared' }, ...problemResponses(401) },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const deleted = await c.var.db
        .delete(learners)
        .where(activeSession(hash))
        .returning({ id: learners.id })
      if (deleted.length === 0) throw noSession(c)
      c.header('Set-Cookie', clearedSessionCookie(c.req.url))
      c.header('Cache-Control', PRIVATE['Cache-Control'])
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/skills',
      tags: ['Progress'],
      summary: 'Every skill with this learner’s state (`not_started` where there is none)',
      responses: {
        200: jsonResponse(z.object({ items: z.array(MySkillSchema) }), 'Skills by name'),
        ...problemResponses(401),
      },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const db = c.var.db
      const [, [learner], rows] = await retryReads(() =>
        db.batch([...identify(db, hash), mySkills(db, hash)]),
      )
      if (!learner) throw noSession(c)
      return c.json({ items: rows.map(presentMySkill) }, 200, PRIVATE)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/skills/{skillId}',
      tags: ['Progress'],
      summary: 'This learner’s state for one skill, with progress per unit',
      request: { params: uuidParam('skillId') },
      responses: {
        200: jsonResponse(MySkillDetailSchema, 'The skill state'),
        ...problemResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const { hash } = requireSession(c)
      const { skillId } = c.req.valid('param')
      const db = c.var.db
      const [, [learner], [row], unitRows] = await retryReads(() =>
        db.batch([...identify(db, hash), mySkills(db, hash, skillId), unitProgress(db, hash, skillId)]),
      )
      if (!learner) throw noSession(c)
      if (!row) throw new ApiError('not_found', 'No skill with this id.')
      return c.json({ ...presentMySkill(row), units: unitRows }, 200, PRIVATE)
    },
  )
