/**
 * Inputs the adversarial pass found reaching the database or slipping through: each is a 400 naming
 * what is wrong, answered before any round trip where the schema can tell.
 */
import { describe, expect, it } from 'vitest'
import { activityContent } from '../src/content/schema.ts'
import { grade } from '../src/grading/grade.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { ADMIN_TOKEN, api, countRoundTrips, expectProblem, newLearner, send, testDb } from './helpers.ts'

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
