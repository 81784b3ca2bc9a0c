/**
 * Every route of the OpenAPI document that declares a credential enforces it. The document's
 * `security` and the middleware come from the same declaration (src/routes/define.ts); this walks
 * the document, so a route added without its kind, or a kind whose middleware drifts from its
 * declaration, fails here.
 */
import type { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openApiDocument } from '../src/openapi-document.ts'
import { api, callWorker, expectProblem, newLearner, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

type Operation = { security?: Record<string, string[]>[] }
const document = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> }
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
)

/** The schemes a route requires: every alternative of its `security` names one, or it is optional. */
function required(op: Operation): string[] {
  const alternatives = op.security ?? []
  if (alternatives.length === 0 || alternatives.some((a) => Object.keys(a).length === 0)) return []
  return [...new Set(alternatives.flatMap((a) => Object.keys(a)))]
}

/** A request to the route with its path parameters filled in, a JSON body where it takes one, and `headers`. */
function call(method: string, path: string, headers: Record<string, string> = {}) {
  const url = path.replace(/\{[^}]+\}/g, () => crypto.randomUUID())
  const body = method === 'GET' || method === 'DELETE' ? undefined : '{}'
  return api(url, {
    method,
    body,
    headers: body ? { 'Content-Type': 'application/json', ...headers } : headers,
  })
}

describe('credentials declared in the OpenAPI document', () => {
  it('are declared on every learner and admin route, and on nothing public', () => {
    expect(operations.length).toBeGreaterThan(25)
    for (const { method, path, op } of operations) {
      const route = `${method} ${path}`
      const learner =
        path.startsWith('/v1/me') || path.startsWith('/v1/attempts/') || path.endsWith('/attempts')
      if (path.startsWith('/v1/admin/')) expect(required(op), route).toEqual(['adminToken'])
      else if (learner)
        expect(required(op), route).toEqual([
          'sessionCookie',
          'hostSessionCookie',
          'ltiSessionCookie',
          'hostLtiSessionCookie',
        ])
      else expect(required(op), route).toEqual([])
    }
    expect(operations.find((o) => o.path === '/v1/activities/{activityId}/attempts')?.op.security).toEqual([
      { sessionCookie: [] },
      { hostSessionCookie: [] },
      { ltiSessionCookie: [] },
      { hostLtiSessionCookie: [] },
    ])
  })

  it('are checked before anything else: no credential, a bad one, or the other kind is a 401', async () => {
    await buildPracticeCatalogue(testDb())
    const { cookie } = await newLearner()
    const forged = `sid=${'a'.repeat(64)}.${'A'.repeat(43)}`
    const forgedLaunch = `lti_sid=${'a'.repeat(64)}.${'A'.repeat(43)}`
    const cookieSchemes = ['sessionCookie', 'ltiSessionCookie']
    let checked = 0
    for (const { method, path, op } of operations) {
      const route = `${method} ${path}`
      // Each cookie's two names (http, https) are one credential: walked once.
      for (const scheme of required(op).filter((name) => !name.startsWith('host'))) {
        const wrong: Record<string, string>[] =
          scheme === 'sessionCookie'
            ? [{}, { Cookie: forged }, { Authorization: 'Bearer test-admin-token-current' }]
            : scheme === 'ltiSessionCookie'
              ? [{ Cookie: forgedLaunch }]
              : [{}, { Authorization: 'Bearer not-an-admin-token-at-all' }, { Cookie: cookie }]
        for (const headers of wrong) {
          const res = await call(method, path, headers)
          const problem = await expectProblem(res, 401)
          expect(res.headers.get('www-authenticate'), route).toMatch(
            cookieSchemes.includes(scheme) ? /^Cookie/ : /^Bearer/,
          )
          expect(problem.detail, route).toBeTruthy()
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3 * 22)
    // The same walk with the credential gets past it (whatever the empty body or random ids then answer);
    // a learner each time, since DELETE /v1/me is among the routes.
    for (const { method, path, op } of operations) {
      const [scheme] = required(op)
      if (!scheme) continue
      const headers: Record<string, string> =
        scheme === 'sessionCookie'
          ? { Cookie: (await newLearner()).cookie }
          : { Authorization: 'Bearer test-admin-token-current' }
      expect((await call(method, path, headers)).status, `${method} ${path}`).not.toBe(401)
    }
  })
})

describe('route middleware', () => {
  it('runs once per request: a progress write counts once against the learner’s rate limit', async () => {
    await buildPracticeCatalogue(testDb())
    const { cookie } = await newLearner()
    let limited = 0
    const counting = { limit: async () => ({ success: ++limited > 0 }) }
    const res = await callWorker(
      new Request(`http://api.test/v1/activities/${PRACTICE.activities.addition}/attempts`, {
        method: 'POST',
        headers: { Cookie: cookie },
      }),
      { PROGRESS_LIMITER: counting as typeof env.PROGRESS_LIMITER },
    )
    expect(res.status).toBe(201)
    expect(limited).toBe(1)
  })
})
