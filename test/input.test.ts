/** The input cases of SECURITY.md: sizes, prototype keys, numbers, arrays, methods. All refused before any query. */
import { describe, expect, it } from 'vitest'
import { LEARNER_BODY_LIMIT } from '../src/middleware/body.ts'
import { api, countRoundTrips, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const ACTIVITY = PRACTICE.activities.addition

async function attemptFor(cookie: string) {
  return (
    await json<{ id: string }>(await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie }), 201)
  ).id
}

/** A JSON body of exactly `size` bytes: a submit whose one short-text answer is padding. */
function bodyOfSize(size: number) {
  const empty = JSON.stringify({ response: { answers: { q1: '' } } })
  return JSON.stringify({ response: { answers: { q1: 'x'.repeat(size - empty.length) } } })
}

describe('body size', () => {
  it('is capped with and without Content-Length; a body exactly at the limit reaches validation', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const path = `/v1/attempts/${await attemptFor(cookie)}/submit`
    const headers = { Cookie: cookie, 'Content-Type': 'application/json' }

    const over = bodyOfSize(LEARNER_BODY_LIMIT + 1)
    const { result: declared, roundTrips } = await countRoundTrips(() =>
      api(path, { method: 'POST', headers, body: over }),
    )
    await expectProblem(declared, 413)
    expect(roundTrips).toBe(0)

    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(over)
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096))
        controller.close()
      },
    })
    await expectProblem(
      await api(path, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit),
      413,
    )

    // Exactly at the limit: past the size check, refused by validation (the answer is over 500 characters).
    const problem = await expectProblem(
      await api(path, { method: 'POST', headers, body: bodyOfSize(LEARNER_BODY_LIMIT) }),
      400,
    )
    expect(problem.errors?.[0]?.pointer).toBe('#/response/answers/q1')
  })
})

describe('prototype keys', () => {
  it('__proto__ and constructor are refused, and Object.prototype stays clean', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const path = `/v1/attempts/${await attemptFor(cookie)}/submit`
    for (const body of [
      '{"__proto__":{"admin":true},"response":{"answers":{}}}',
      '{"response":{"answers":{"__proto__":{"admin":true}}}}',
      '{"response":{"answers":{"constructor":{"prototype":{"admin":true}}}}}',
    ]) {
      await expectProblem(
        await api(path, {
          method: 'POST',
          body,
          headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        }),
        400,
      )
    }
    const admin = (body: string) =>
      api('/v1/admin/skills', {
        method: 'POST',
        body,
        headers: { Authorization: 'Bearer test-admin-token-current', 'Content-Type': 'application/json' },
      })
    await expectProblem(await admin('{"name":"X","metadata":{"__proto__":{"admin":true}}}'), 400)
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('admin')
  })
})

describe('numbers', () => {
  it('Infinity (1e309), negatives, int4 overflow and fractions for integers are 400s, never 500s', async () => {
    for (const level of ['1e309', '-1', '2147483648', '1.5', '"3"']) {
      const { result, roundTrips } = await countRoundTrips(() =>
        api('/v1/admin/skills', {
          method: 'POST',
          body: `{"name":"N","level":${level}}`,
          headers: { Authorization: 'Bearer test-admin-token-current', 'Content-Type': 'application/json' },
        }),
      )
      const problem = await expectProblem(result, 400)
      expect(problem.errors?.[0]?.pointer, level).toBe('#/level')
      expect(roundTrips).toBe(0)
    }
  })
})

describe('arrays', () => {
  it('over their caps are refused before any query', async () => {
    const question = (i: number) => ({ id: `q${i}`, kind: 'numeric', prompt: 'p', answer: i })
    const cases = [
      { questions: Array.from({ length: 51 }, (_, i) => question(i)) },
      {
        questions: [
          {
            id: 'q',
            kind: 'multiple_choice',
            prompt: 'p',
            choices: Array.from({ length: 21 }, (_, i) => ({ id: `c${i}`, text: 't' })),
            answers: ['c1'],
          },
        ],
      },
    ]
    for (const content of cases) {
      const { result, roundTrips } = await countRoundTrips(() =>
        send('POST', '/v1/admin/activities', {
          admin: true,
          body: { unitId: crypto.randomUUID(), name: 'A', content },
        }),
      )
      await expectProblem(result, 400)
      expect(roundTrips).toBe(0)
    }
    const { cookie } = await newLearner()
    const answers = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`q${i}`, 1]))
    const { result, roundTrips } = await countRoundTrips(() =>
      send('POST', `/v1/attempts/${crypto.randomUUID()}/submit`, { cookie, body: { response: { answers } } }),
    )
    await expectProblem(result, 400)
    expect(roundTrips).toBe(0)
  })
})

describe('methods', () => {
  it('a wrong method on a known path is a 405 problem with Allow; an unknown path a 404', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/v1/skills', 'GET, HEAD'],
      ['DELETE', '/v1/skills', 'GET, HEAD'],
      ['PATCH', '/v1/session', 'DELETE, POST'],
    ] as const) {
      const res = await api(path, { method })
      expect((await expectProblem(res, 405)).detail).toBe(`${path} takes ${allow}.`)
      expect(res.headers.get('allow')).toBe(allow)
    }
    const problem = await expectProblem(await api('/v1/skillz', { method: 'PUT' }), 404)
    expect(problem.detail).toBe('No route for PUT /v1/skillz.')
  })
})

describe('strings that are not well-formed Unicode', () => {
  const lone = '\ud800'
  it('are refused with a pointer wherever they appear: answers, metadata values and keys, content', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const path = `/v1/attempts/${await attemptFor(cookie)}/submit`
    const submitted = await expectProblem(
      await send('POST', path, { cookie, body: { response: { answers: { q1: `5${lone}` } } } }),
      400,
    )
    expect(submitted.errors).toEqual([
      { pointer: '#/response/answers/q1', detail: expect.stringMatching(/Unicode/) },
    ])
    for (const [body, pointer] of [
      [{ name: 'S', metadata: { note: `a${lone}b` } }, '#/metadata/note'],
      [{ name: 'S', metadata: { [`k${lone}`]: 1 } }, '#/metadata'],
      [{ name: `S${lone}` }, '#/name'],
    ] as const) {
      const problem = await expectProblem(await send('POST', '/v1/admin/skills', { admin: true, body }), 400)
      expect(problem.errors?.[0]?.pointer).toBe(pointer)
    }
    const unitId = PRACTICE.units.addition
    const content = { questions: [{ id: 'q1', kind: 'numeric', prompt: `Two ${lone}`, answer: 2 }] }
    const problem = await expectProblem(
      await send('POST', '/v1/admin/activities', { admin: true, body: { unitId, name: 'A', content } }),
      400,
    )
    expect(problem.errors?.[0]?.pointer).toBe('#/content/questions/0/prompt')
  })
})

describe('deeply nested bodies', () => {
  it('are refused, whatever they hide at the bottom, without running out of stack', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const path = `/v1/attempts/${await attemptFor(cookie)}/submit`
    const deep = (depth: number, bottom: string) => `${'{"a":'.repeat(depth)}${bottom}${'}'.repeat(depth)}`
    for (const body of [
      `{"response":{"answers":{}},"x":${deep(5000, '{"__proto__":{"admin":true}}')}}`,
      `{"response":{"answers":{}},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      `{"response":{"answers":{}},"x":${deep(40, '1')}}`,
    ]) {
      const problem = await expectProblem(
        await api(path, {
          method: 'POST',
          body,
          headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        }),
        400,
      )
      expect(problem.errors?.[0]?.detail).toMatch(/nested more than 32 levels/)
    }
    expect(Object.prototype).not.toHaveProperty('admin')
  })
})
