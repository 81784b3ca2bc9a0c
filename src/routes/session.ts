/**
 * Anonymous sessions. POST /v1/session is the only route that creates learners; a cookie is the
 * learner's only credential, so revoking it (DELETE) makes the old cookie useless everywhere.
 */
import { createRoute } from '@hono/zod-openapi'
import { eq, sql } from 'drizzle-orm'
import { learners } from '../db/schema.ts'
import { problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { LearnerSchema, PRIVATE } from '../schemas/learner.ts'
import { clearedSessionCookie, hashSessionId, newSessionId } from '../session/cookie.ts'
import { activeSession, presentLearner } from '../session/learner.ts'
import { issueSessionCookie } from '../session/middleware.ts'

const learnerResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: LearnerSchema } },
})

export const session = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/session',
      tags: ['Session'],
      summary: 'Start an anonymous session, or resume the current one',
      description:
        'With a valid session cookie: 200 and the learner (the cookie is re-signed if an older key signed it). ' +
        'Otherwise a new learner and a new session: 201 and `Set-Cookie`. A cookie that does not verify, or whose ' +
        'learner is gone, never names the new session: its id is always fresh. One round trip.',
      responses: {
        200: learnerResponse('The current learner'),
        201: learnerResponse('A new learner; the session cookie is set'),
        ...problemResponses(429, 500),
      },
    }),
    async (c) => {
      const db = c.var.db
      const current = c.var.session
      const newId = newSessionId()
      const newHash = await hashSessionId(newId)
      let resumed: typeof learners.$inferSelect | undefined
      let created: typeof learners.$inferSelect | undefined
      if (current) {
        // One round trip: touch the current learner, or create one when it no longer exists.
        const [existing, , fresh] = await db.batch([
          db
            .update(learners)
            .set({ lastActiveAt: sql`now()` })
            .where(activeSession(current.hash))
            .returning(),
          db.execute(sql`INSERT INTO ${learners} (session_id)
            SELECT ${newHash} WHERE NOT EXISTS (SELECT 1 FROM ${learners} WHERE ${activeSession(current.hash)})`),
          db.select().from(learners).where(eq(learners.sessionId, newHash)),
        ])
        ;[resumed] = existing
        ;[created] = fresh
      } else {
        ;[created] = await db.insert(learners).values({ sessionId: newHash }).returning()
      }
      if (current && resumed) {
        // Re-issued on every resume: the one-year lifetime slides while the learner keeps coming back.
        const cookie = await issueSessionCookie(c, current.id)
        return c.json(presentLearner(resumed), 200, { ...PRIVATE, 'Set-Cookie': cookie })
      }
      if (!created) throw new Error('the learner was neither found nor created')
      const cookie = await issueSessionCookie(c, newId)
      return c.json(presentLearner(created), 201, { ...PRIVATE, 'Set-Cookie': cookie })
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/v1/session',
      tags: ['Session'],
      summary: 'End the session on this device',
      description:
        'Clears the cookie and revokes the session: the learner row stays (its attempts still count in ' +
        'activity statistics) but no cookie can reach it again. Idempotent: 204 with or without a session.',
      responses: { 204: { description: 'Session ended; cookie cleared' }, ...problemResponses(415, 500) },
    }),
    async (c) => {
      const current = c.var.session
      if (current) {
        // The learner keeps a session hash nobody holds the id for.
        const revoked = await hashSessionId(newSessionId())
        await c.var.db.update(learners).set({ sessionId: revoked }).where(activeSession(current.hash))
      }
      c.header('Set-Cookie', clearedSessionCookie(c.req.url))
      c.header('Cache-Control', PRIVATE['Cache-Control'])
      return c.body(null, 204)
    },
  )
