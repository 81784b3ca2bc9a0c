/**
 * Anonymous sessions. POST /v1/session is the only route that creates learners; a cookie is the
 * learner's only credential, so revoking it (DELETE) makes the old cookie useless everywhere.
 */
import { PRIVATE } from '../http/cache-control.ts'
import { limitSessionCreation } from '../middleware/rate-limit.ts'
import { emptyResponse, jsonResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { LearnerSchema } from '../schemas/learner.ts'
import { endDeviceSession, presentLearner, resumeOrCreateLearner } from '../session/learner.ts'
import { sessionScope } from '../session/middleware.ts'
import { sessionRoute } from './define.ts'

export const session = createRouter()
  .openapi(
    sessionRoute({
      method: 'post',
      path: '/v1/session',
      tags: ['Session'],
      summary: 'Start an anonymous session, or resume the current one',
      description:
        'With a valid session cookie: 200 and the learner, and the cookie re-issued (its one-year lifetime starts ' +
        'again). Otherwise a new learner and a new session: 201 and `Set-Cookie`. A cookie that does not verify, or ' +
        'whose learner is gone, never names the new session: its id is always fresh. Only creations count against ' +
        'the per-address limit (429): resuming never does, so a class behind one address resumes freely. To resume ' +
        'without ever creating, read `GET /v1/me`, which also re-issues the cookie (at most daily). The request ' +
        'takes no body: whatever is sent (even malformed JSON) is not read. One round trip; two when a signed ' +
        'cookie names a session that is gone.',
      responses: {
        200: jsonResponse(LearnerSchema, 'The current learner; the cookie is re-issued'),
        201: jsonResponse(LearnerSchema, 'A new learner; the session cookie is set'),
        ...problemResponses(429),
      },
    }),
    async function startOrResumeSession(c) {
      const { learner, created } = await resumeOrCreateLearner(sessionScope(c), () => limitSessionCreation(c))
      return created
        ? c.json(presentLearner(learner), 201, PRIVATE)
        : c.json(presentLearner(learner), 200, PRIVATE)
    },
  )
  .openapi(
    sessionRoute({
      method: 'delete',
      path: '/v1/session',
      tags: ['Session'],
      summary: 'End the session on this device',
      description:
        'Clears the cookie and revokes the session: the learner row stays (its attempts still count in ' +
        'activity statistics) but no cookie can reach it again. Idempotent: 204 with or without a session.',
      responses: { 204: emptyResponse('Session ended; cookie cleared', ['Set-Cookie']) },
    }),
    async function endSession(c) {
      await endDeviceSession(sessionScope(c))
      return c.body(null, 204, PRIVATE)
    },
  )
