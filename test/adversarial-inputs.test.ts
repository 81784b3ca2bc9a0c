/**
 * Inputs the adversarial pass found reaching the database or slipping through: each is a 400 naming
 * what is wrong, answered before any round trip where the schema can tell.
 */
import { describe, expect, it } from 'vitest'
import { activityContent } from '../src/content/schema.ts'
import { grade } from '../src/grading/grade.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { ADMIN_TOKEN, api, countRoundTrips, expectProblem, newLearner, send, testDb } from './helpers.ts'

describe('a known path asked with another method', () => {
  it('answers 405 with Allow, before credentials or bodies are looked at', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/v1/skills', 'GET, HEAD'],
      ['POST', '/v1/me', 'DELETE, GET, HEAD, PATCH'],
      ['DELETE', '/v1/me/passkeys/options', 'POST'],
      ['GET', `/v1/attempts/${crypto.randomUUID()}/submit`, 'POST'],
    ] as const) {
      const { result, roundTrips } = await countRoundTrips(() => send(method, path))
      const problem = await expectProblem(result, 405)
      expect(result.headers.get('allow'), `${method} ${path}`).toBe(allow)
      expect(problem.detail).toContain(allow)
      expect(roundTrips).toBe(0)
    }
    // An unknown path is still a 404, and a method a path takes still reaches its route.
    await expectProblem(await send('PUT', '/v1/nothing-here'), 404)
    expect((await send('GET', '/v1/skills')).status).toBe(200)
  })
})

describe('inputs refused before they reach PostgreSQL', () => {
  it('a content version past a Postgres integer is a 400 on stats, analytics and the CSV', async () => {
    const db = testDb()
    const activity = await insertActivity(db, (await insertUnit(db, (await insertSkill(db)).id)).id)
    for (const path of ['stats', 'analytics', 'attempts.csv']) {
      const { result, roundTrips } = await countRoundTrips(() =>
        send('GET', `/v1/admin/activities/${activity.id}/${path}?version=2147483648`, { admin: true }),
      )
      const problem = await expectProblem(result, 400)
      expect(problem.errors?.[0]).toMatchObject({ parameter: 'version' })
      expect(roundTrips, path).toBe(0)
    }
  })

  it('a NUL in a search or a join code is a 400, with no round trip', async () => {
    const { cookie } = await newLearner()
    const search = await countRoundTrips(() => send('GET', '/v1/search?q=add%00ition'))
    expect((await expectProblem(search.result, 400)).errors?.[0]?.detail).toBe(
      'must not contain NUL characters',
    )
    expect(search.roundTrips).toBe(0)
    const join = await countRoundTrips(() =>
      send('POST', '/v1/me/classes', { cookie, body: { code: 'AB\u0000CD' } }),
    )
    expect((await expectProblem(join.result, 400)).errors?.[0]?.detail).toBe(
      'must not contain NUL characters',
    )
    expect(join.roundTrips).toBe(0)
  })

  it('a number too large to be finite is a 400, not a null stored with a 200', async () => {
    // Written by hand: JSON.stringify would send Infinity as null.
    const { result, roundTrips } = await countRoundTrips(() =>
      api('/v1/admin/skills', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: '{"name":"Big","metadata":{"x":1e400}}',
      }),
    )
    expect((await expectProblem(result, 400)).errors).toEqual([
      { pointer: '#/metadata/x', detail: 'must be a finite number' },
    ])
    expect(roundTrips).toBe(0)
  })

  it('accepts every UUID that `format: uuid` promises (any 8-4-4-4-12 hex), in paths, queries and bodies', async () => {
    const nil = '00000000-0000-0000-0000-000000000001' // not an RFC 9562 variant
    await expectProblem(await send('GET', `/v1/activities/${nil}`), 404)
    const { cookie } = await newLearner()
    expect((await send('GET', `/v1/me/attempts?activityId=${nil}`, { cookie })).status).toBe(200)
    const unit = await send('POST', '/v1/admin/units', {
      admin: true,
      body: { skillId: nil, name: 'Orphan' },
    })
    expect(unit.status).not.toBe(400) // a skill that does not exist, not a malformed id
  })

  it('an answer key naming a choice twice is refused, and a stored one still needs every other choice', async () => {
    const twice = {
      questions: [
        {
          id: 'q',
          kind: 'multiple_choice',
          prompt: 'Which?',
          choices: [
            { id: 'a', text: 'A' },
            { id: 'b', text: 'B' },
            { id: 'c', text: 'C' },
          ],
          answers: ['a', 'a'],
        },
      ],
    }
    const parsed = activityContent.safeParse(twice)
    expect(parsed.error?.issues.map((issue) => [issue.path.join('/'), issue.message])).toEqual([
      ['questions/0/answers', 'each choice id once'],
    ])
    // Content stored before the check: ["a", "c"] is not the set {a}.
    const stored = { passingScore: 1, questions: [{ ...twice.questions[0], points: 1 }] } as never
    expect(grade(stored, ['q'], { q: ['a', 'c'] }).feedback[0]?.correct).toBe(false)
    expect(grade(stored, ['q'], { q: ['a'] }).feedback[0]?.correct).toBe(true)
  })
})
