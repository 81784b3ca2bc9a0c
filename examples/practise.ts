import { type ClientRequestOptions, hc, parseResponse } from 'hono/client'
import type { AppType } from '../src/app.ts'
import { carrySubmitTokens } from '../src/client/carry-submit-tokens.ts'

/**
 * A typed client. In a browser the session cookie (HttpOnly) rides along by itself; from another
 * origin, listed in CORS_ORIGINS, pass `{ init: { credentials: 'include' } }`; from Node, pass
 * `{ fetch: cookieKeepingFetch() }`. Each start's Submit-Token is carried to its submit, which then
 * costs one round trip instead of two.
 */
export const learningApi = (baseUrl: string, options?: ClientRequestOptions) =>
  hc<AppType>(baseUrl, { ...options, fetch: carrySubmitTokens(options?.fetch) })

/**
 * A fetch that keeps the session cookie, as a browser does. Node's fetch keeps no cookies, so
 * without it every learner route would answer 401.
 */
export function cookieKeepingFetch(fetchFn: typeof fetch = fetch): typeof fetch {
  let cookie = ''
  return async (input, init) => {
    const request = new Request(input, init)
    if (cookie) request.headers.set('Cookie', cookie)
    const response = await fetchFn(request)
    const set = response.headers.get('set-cookie')?.split(';')[0]
    if (set !== undefined) cookie = set.endsWith('=') ? '' : set // an empty value clears it
    return response
  }
}

/** Start (or resume) the session, answer one activity's own questions, and read back the skill's new state. */
export async function practise(
  api: ReturnType<typeof learningApi>,
  activityId: string,
  answer: (questions: { id: string; prompt: string }[]) => Record<string, string | number | string[]>,
) {
  await parseResponse(api.v1.session.$post())
  const attempt = await parseResponse(
    api.v1.activities[':activityId'].attempts.$post({ param: { activityId }, header: {} }),
  )
  const answers = answer(attempt.questions ?? [])
  const result = await parseResponse(
    api.v1.attempts[':attemptId'].submit.$post({
      param: { attemptId: attempt.id },
      // The same key on a retry replays the first answer instead of grading twice.
      header: { 'Idempotency-Key': `"${crypto.randomUUID()}"` },
      json: { response: { answers } },
    }),
  )
  // Every field is typed from the API's own route definitions: a renamed field fails to compile.
  return { score: result.attempt.score, passed: result.passed, mastery: result.skillState.masteryScore }
}
