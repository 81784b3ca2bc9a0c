/**
 * Property-based tests with fast-check over every route: arbitrary bodies, content types, cookies,
 * idempotency keys and path parameters never produce a 5xx, and every 4xx is a valid problem.
 * Run counts are printed for the record.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { PROBLEM_CONTENT_TYPE } from '../src/errors.ts'
import { ADMIN_TOKEN, api, newLearner, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const SKILL = PRACTICE.skills.math
const ACTIVITY = PRACTICE.activities.addition

/** Every route, with `:id` where a path parameter goes. */
const ROUTES: [string, string][] = [
  ['GET', '/v1/skills'],
  ['GET', '/v1/skills/:id'],
  ['GET', '/v1/units/:id'],
  ['GET', '/v1/activities/:id'],
  ['POST', '/v1/session'],
  ['DELETE', '/v1/session'],
  ['GET', '/v1/me'],
  ['PATCH', '/v1/me'],
  ['GET', '/v1/me/skills'],
  ['GET', '/v1/me/skills/:id'],
  ['GET', '/v1/me/review'],
  ['POST', '/v1/activities/:id/attempts'],
  ['POST', '/v1/attempts/:id/submit'],
  ['POST', '/v1/attempts/:id/abandon'],
  ['GET', '/v1/me/attempts'],
  ['GET', '/v1/me/attempts/:id'],
  ['POST', '/v1/admin/skills'],
  ['PATCH', '/v1/admin/skills/:id'],
  ['POST', '/v1/admin/units'],
  ['PATCH', '/v1/admin/units/:id'],
  ['POST', '/v1/admin/activities'],
  ['GET', '/v1/admin/activities/:id'],
  ['PATCH', '/v1/admin/activities/:id'],
  ['GET', '/v1/admin/activities/:id/stats'],
  ['GET', '/health'],
  ['GET', '/docs'],
]
const RUNS_PER_ROUTE = 25

const ascii = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength })

let validCookie = ''

const pathParam = fc.oneof(
  fc.constantFrom(SKILL, ACTIVITY, crypto.randomUUID(), SKILL.toUpperCase()),
  fc.uuid(),
  fc.webSegment(),
  ascii(40).map(encodeURIComponent),
)

const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  ascii(200),
  fc
    .record({
      response: fc.record({
        answers: fc.dictionary(fc.string({ maxLength: 70 }), fc.jsonValue({ maxDepth: 2 })),
      }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      name: fc.string(),
      level: fc.oneof(fc.integer(), fc.double()),
      metadata: fc.object({ maxDepth: 2 }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ displayName: fc.oneof(fc.string({ maxLength: 100 }), fc.constant(null), fc.integer()) })
    .map((v) => JSON.stringify(v)),
)

const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
  ),
  ascii(30),
  fc.constant(undefined),
)

const cookie = fc.oneof(
  fc.constant(undefined),
  fc.constant('valid'),
  ascii(120).map((v) => `sid=${v.replace(/;/g, '')}`),
  fc
    .string({ unit: 'grapheme-ascii', minLength: 60, maxLength: 130 })
    .map((v) => `sid=${v.replace(/;/g, '')}`),
)

const idempotencyKey = fc.oneof(
  fc.constant(undefined),
  ascii(40),
  fc.uuid().map((u) => `"${u}"`),
)
const authorization = fc.oneof(fc.constant(undefined), fc.constant(`Bearer ${ADMIN_TOKEN}`), ascii(60))

beforeAll(async () => {
  await buildPracticeCatalogue(testDb())
})

describe('arbitrary requests to every route', () => {
  it('never produce a 5xx, and every 4xx is a problem document', async () => {
    await buildPracticeCatalogue(testDb())
    validCookie = (await newLearner()).cookie
    let runs = 0
    for (const [method, template] of ROUTES) {
      await fc.assert(
        fc.asyncProperty(
          pathParam,
          body,
          contentType,
          cookie,
          idempotencyKey,
          authorization,
          async (param, payload, type, jar, key, auth) => {
            runs++
            const headers: Record<string, string> = {}
            if (type !== undefined) headers['Content-Type'] = type
            if (jar !== undefined) headers.Cookie = jar === 'valid' ? validCookie : jar
            if (key !== undefined) headers['Idempotency-Key'] = key
            if (auth !== undefined) headers.Authorization = auth
            const path = template.replace(':id', param)
            const withBody = method !== 'GET' && method !== 'DELETE'
            const res = await api(path, { method, headers, body: withBody ? payload : undefined })
            const text = await res.text()
            expect(res.status, `${method} ${path} → ${text}`).toBeLessThan(500)
            if (res.status >= 400) {
              expect(res.headers.get('content-type'), text).toBe(PROBLEM_CONTENT_TYPE)
              const problem = JSON.parse(text)
              expect(problem).toMatchObject({
                status: res.status,
                type: expect.any(String),
                title: expect.any(String),
              })
            }
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      )
    }
    console.info(`fuzz: ${runs} requests over ${ROUTES.length} routes, no 5xx`)
    expect(runs).toBeGreaterThanOrEqual(ROUTES.length * RUNS_PER_ROUTE)
  }, 120_000)
})
