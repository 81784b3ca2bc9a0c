import { type ClientRequestOptions, hc, parseResponse } from 'hono/client'
import type { AppType } from '../src/app.ts'

/**
 * A typed client. In a browser the session cookie (HttpOnly) rides along by itself; from another
 * origin, listed in CORS_ORIGINS, pass `{ init: { credentials: 'include' } }`.
 */
export const learningApi = (baseUrl: string, options?: ClientRequestOptions) => hc<AppType>(baseUrl, options)

/** Start (or resume) the session, answer one activity, and read back the skill's new state. */
export async function practise(
  api: ReturnType<typeof learningApi>,
  activityId: string,
  answers: Record<string, string | number | string[]>,
) {
  await parseResponse(api.v1.session.$post())
  const attempt = await parseResponse(
    api.v1.activities[':activityId'].attempts.$post({ param: { activityId } }),
  )
  const result = await parseResponse(
    api.v1.attempts[':attemptId'].submit.$post({
      param: { attemptId: attempt.id },
      json: { response: { answers } },
    }),
  )
  // Every field is typed from the API's own route definitions: a renamed field fails to compile.
  return { score: result.attempt.score, passed: result.passed, mastery: result.skillState.masteryScore }
}
