import type { env } from 'cloudflare:workers'
import { count, eq } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { activities, skills, units } from '../src/db/schema.ts'
import { insertCatalogue, insertSkill, sampleContent } from './fixtures.ts'
import { api, callWorker, countRoundTrips, expectProblem, json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()
const skillCount = async () => (await db.select({ n: count() }).from(skills))[0]?.n

const withAuth = (authorization: string | undefined, body: unknown = { name: 'Geometry' }) =>
  api('/v1/admin/skills', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization && { Authorization: authorization }) },
    body: JSON.stringify(body),
  })

describe('admin authentication', () => {
  it('is a 401 problem with WWW-Authenticate without a token, and writes nothing', async () => {
    const res = await withAuth(undefined)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="admin"/)
    await expectProblem(res, 401)
    expect(await skillCount()).toBe(0)
  })

  it('refuses a wrong token and a malformed header alike: 401 with WWW-Authenticate: Bearer', async () => {
    for (const authorization of [
      'Bearer test-admin-token-wrong',
      'Bearer test-admin-token-current-and-more',
      'Basic dGVzdDp0ZXN0',
      'test-admin-token-current',
      'Bearer test-admin-token-current, Bearer test-admin-token-previous',
      'Bearer  test-admin-token-current',
    ]) {
      const res = await withAuth(authorization)
      expect(res.headers.get('www-authenticate'), authorization).toMatch(/^Bearer realm="admin"/)
      await expectProblem(res, 401)
    }
    expect(await skillCount()).toBe(0)
  })

  it('does not accept a learner session instead of a token', async () => {
    const { cookie } = await newLearner()
    await expectProblem(await send('POST', '/v1/admin/skills', { cookie, body: { name: 'Geometry' } }), 401)
  })

  it('accepts every token of ADMIN_TOKENS during a rotation', async () => {
    await json(await withAuth('Bearer test-admin-token-current'), 201)
    await json(await withAuth('Bearer test-admin-token-previous'), 201)
    expect(await skillCount()).toBe(2)
  })

  it('names the author of each token: their writes record them and log one audit line, never the token', async () => {
    const logged = vi.spyOn(console, 'log')
    const ada = await json<{ id: string; updatedBy: string }>(
      await withAuth('Bearer test-admin-token-previous'),
      201,
    )
    expect(ada.updatedBy).toBe('ada')
    const renamed = await api(`/v1/admin/skills/${ada.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer test-admin-token-of-grace' },
      body: JSON.stringify({ name: 'Solid geometry' }),
    })
    expect(await json(renamed, 200)).toMatchObject({ name: 'Solid geometry', updatedBy: 'grace' })
    const [row] = await db.select().from(skills).where(eq(skills.id, ada.id))
    expect(row?.updatedBy).toBe('grace')

    const audits = logged.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes('"admin write"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(
      audits.map(({ author, method, route, ids, status }) => ({ author, method, route, ids, status })),
    ).toEqual([
      { author: 'ada', method: 'POST', route: '/v1/admin/skills', ids: {}, status: 201 },
      {
        author: 'grace',
        method: 'PATCH',
        route: '/v1/admin/skills/:skillId',
        ids: { skillId: ada.id },
        status: 200,
      },
    ])
    expect(JSON.stringify(audits)).not.toContain('test-admin-token')
    // Reads are not audited.
    await send('GET', `/v1/admin/activities/${crypto.randomUUID()}`, { admin: true })
    expect(logged.mock.calls.filter(([line]) => String(line).includes('"admin write"'))).toHaveLength(2)
    logged.mockRestore()
  })

  it('fails closed with a 500 problem when ADMIN_TOKENS is missing or too short', async () => {
    for (const ADMIN_TOKENS of [undefined, '', 'short']) {
      const res = await callWorker(
        new Request('http://api.test/v1/admin/skills', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer short' },
          body: JSON.stringify({ name: 'Geometry' }),
        }),
        { ADMIN_TOKENS } as Partial<typeof env>,
      )
      const problem = await expectProblem(res, 500)
      expect(problem.detail).toContain('ADMIN_TOKENS')
    }
    expect(await skillCount()).toBe(0)
  })
})

describe('skills', () => {
  it('creates, updates and deletes a skill, one round trip each', async () => {
    const create = await countRoundTrips(() =>
      send('POST', '/v1/admin/skills', {
        admin: true,
        body: { name: 'Geometry', level: 2, metadata: { color: 'teal' } },
      }),
    )
    const skill = await json<{ id: string; level: number; updatedAt: string }>(create.result, 201)
    expect(skill).toMatchObject({ level: 2, description: null, metadata: { color: 'teal' } })

    const update = await countRoundTrips(() =>
      send('PATCH', `/v1/admin/skills/${skill.id}`, { admin: true, body: { description: 'Shapes.' } }),
    )
    const updated = await json<{ description: string; level: number; updatedAt: string }>(update.result, 200)
    expect(updated).toMatchObject({ description: 'Shapes.', level: 2 })
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(skill.updatedAt))

    const remove = await countRoundTrips(() =>
      send('DELETE', `/v1/admin/skills/${skill.id}`, { admin: true }),
    )
    expect(remove.result.status).toBe(204)
    expect([create.roundTrips, update.roundTrips, remove.roundTrips]).toEqual([1, 1, 1])
    await expectProblem(await send('DELETE', `/v1/admin/skills/${skill.id}`, { admin: true }), 404)
  })

  it('refuses unknown keys, empty updates and out-of-range values with pointers', async () => {
    const skill = await insertSkill(db)
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/admin/skills', { name: 'X', isAdmin: true }, '#'],
      ['POST', '/v1/admin/skills', { name: '' }, '#/name'],
      ['POST', '/v1/admin/skills', { name: 'X', level: 2147483648 }, '#/level'],
      ['POST', '/v1/admin/skills', { name: 'X', level: 1.5 }, '#/level'],
      ['POST', '/v1/admin/skills', { name: 'X', metadata: { note: 'a\u0000b' } }, '#/metadata'],
      ['PATCH', `/v1/admin/skills/${skill.id}`, {}, '#'],
    ]
    for (const [method, path, body, pointer] of cases) {
      const problem = await expectProblem(await send(method, path, { admin: true, body }), 400)
      expect(
        problem.errors?.map((e) => e.pointer),
        JSON.stringify(body),
      ).toContain(pointer)
    }
    expect(await skillCount()).toBe(1)
  })
})

describe('units', () => {
  it('creates a unit under a skill, and a missing skill is a 422', async () => {
    const skill = await insertSkill(db)
    const unit = await json<{ skillId: string; order: number }>(
      await send('POST', '/v1/admin/units', {
        admin: true,
        body: { skillId: skill.id.toUpperCase(), name: 'Angles' },
      }),
      201,
    )
    expect(unit).toMatchObject({ skillId: skill.id, order: 0 })
    await expectProblem(
      await send('POST', '/v1/admin/units', {
        admin: true,
        body: { skillId: crypto.randomUUID(), name: 'Orphan' },
      }),
      422,
    )
    expect((await db.select({ n: count() }).from(units))[0]?.n).toBe(1)
  })

  it('deleting a unit deletes its activities', async () => {
    const { unit } = await insertCatalogue(db)
    expect((await send('DELETE', `/v1/admin/units/${unit.id}`, { admin: true })).status).toBe(204)
    expect(await db.select().from(activities)).toEqual([])
  })
})

describe('activities', () => {
  it('stores validated content with defaults filled in, and shows authors the answer keys', async () => {
    const { unit } = await insertCatalogue(db)
    const created = await json<{
      id: string
      content: { passingScore: number; questions: { points: number }[] }
    }>(
      await send('POST', '/v1/admin/activities', {
        admin: true,
        body: { unitId: unit.id, name: 'Quiz', type: 'quiz', content: sampleContent },
      }),
      201,
    )
    expect(created.content.passingScore).toBe(0.7)
    expect(created.content.questions.map((q) => q.points)).toEqual([1, 1])
    const admin = await json<{ content: { questions: { answer: unknown }[] } }>(
      await send('GET', `/v1/admin/activities/${created.id}`, { admin: true }),
      200,
    )
    expect(admin.content.questions.map((q) => q.answer)).toEqual([2, 'b'])
  })

  const invalid: [string, unknown, string][] = [
    [
      'an answer that is not a choice',
      {
        questions: [
          {
            id: 'q1',
            kind: 'single_choice',
            prompt: 'p',
            choices: [
              { id: 'a', text: 'A' },
              { id: 'b', text: 'B' },
            ],
            answer: 'z',
          },
        ],
      },
      '#/content/questions/0/answer',
    ],
    [
      'duplicate choice ids',
      {
        questions: [
          {
            id: 'q1',
            kind: 'multiple_choice',
            prompt: 'p',
            choices: [
              { id: 'a', text: 'A' },
              { id: 'a', text: 'B' },
            ],
            answers: ['a'],
          },
        ],
      },
      '#/content/questions/0/choices',
    ],
    [
      'an unknown question kind',
      { questions: [{ id: 'q1', kind: 'essay', prompt: 'p' }] },
      '#/content/questions/0/kind',
    ],
    [
      'a non-finite numeric answer',
      { questions: [{ id: 'q1', kind: 'numeric', prompt: 'p', answer: '5' }] },
      '#/content/questions/0/answer',
    ],
    [
      'a negative tolerance',
      { questions: [{ id: 'q1', kind: 'numeric', prompt: 'p', answer: 5, tolerance: -1 }] },
      '#/content/questions/0/tolerance',
    ],
    [
      'no accepted answers',
      { questions: [{ id: 'q1', kind: 'short_text', prompt: 'p', acceptedAnswers: [] }] },
      '#/content/questions/0/acceptedAnswers',
    ],
    [
      'duplicate question ids',
      {
        questions: [
          { id: 'q1', kind: 'numeric', prompt: 'p', answer: 1 },
          { id: 'q1', kind: 'numeric', prompt: 'p', answer: 2 },
        ],
      },
      '#/content/questions',
    ],
    [
      'a passing score above 1',
      { passingScore: 1.5, questions: [{ id: 'q1', kind: 'numeric', prompt: 'p', answer: 1 }] },
      '#/content/passingScore',
    ],
    ['no questions', { questions: [] }, '#/content/questions'],
    [
      'a __proto__ question id',
      { questions: [{ id: '__proto__', kind: 'numeric', prompt: 'p', answer: 1 }] },
      '#/content/questions/0/id',
    ],
  ]
  for (const [what, content, pointer] of invalid) {
    it(`refuses content with ${what}`, async () => {
      const { unit } = await insertCatalogue(db)
      const res = await send('POST', '/v1/admin/activities', {
        admin: true,
        body: { unitId: unit.id, name: 'Bad', content },
      })
      const problem = await expectProblem(res, 400)
      expect(problem.errors?.map((e) => e.pointer)).toContain(pointer)
      expect((await db.select({ n: count() }).from(activities))[0]?.n).toBe(1)
    })
  }

  it('updates content and moves an activity to another unit', async () => {
    const { skill, activity } = await insertCatalogue(db)
    const other = await json<{ id: string }>(
      await send('POST', '/v1/admin/units', { admin: true, body: { skillId: skill.id, name: 'Other' } }),
      201,
    )
    const content = {
      questions: [{ id: 'only', kind: 'short_text', prompt: 'Say hi', acceptedAnswers: ['hi'] }],
    }
    const moved = await json<{ unitId: string }>(
      await send('PATCH', `/v1/admin/activities/${activity.id}`, {
        admin: true,
        body: { unitId: other.id, content },
      }),
      200,
    )
    expect(moved.unitId).toBe(other.id)
    const [row] = await db.select().from(activities).where(eq(activities.id, activity.id))
    expect(row?.content).toEqual({ passingScore: 0.7, questions: [{ ...content.questions[0], points: 1 }] })
  })

  it('lets author bodies up to 512 KiB reach validation (learners get 64 KiB), and refuses larger ones with 413', async () => {
    const { unit } = await insertCatalogue(db)
    const body = (size: number) => ({
      unitId: unit.id,
      name: 'Big',
      content: sampleContent,
      description: 'x'.repeat(size),
    })
    const problem = await expectProblem(
      await send('POST', '/v1/admin/activities', { admin: true, body: body(300 * 1024) }),
      400,
    )
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['#/description'])
    await expectProblem(
      await send('POST', '/v1/admin/activities', { admin: true, body: body(600 * 1024) }),
      413,
    )
  })
})

describe('BKT parameters in skill metadata', () => {
  it('are accepted when valid and refused with pointers when not', async () => {
    const ok = await send('POST', '/v1/admin/skills', {
      admin: true,
      body: { name: 'Tuned', metadata: { bkt: { pInit: 0.3, pGuess: 0.25 } } },
    })
    expect(ok.status).toBe(201)
    for (const [bkt, pointer] of [
      [{ pInit: 1.5 }, '#/metadata/bkt/pInit'],
      [{ pSlip: 0.6, pGuess: 0.5 }, '#/metadata/bkt'],
      [{ pTransit: 0.1, extra: 1 }, '#/metadata/bkt'],
      // The adversarial pass's pair: pSlip + pGuess is 0.61, but a two-choice question is guessed
      // half the time, and eight wrong answers raised P(L) from 0.28 to 0.87.
      [{ pGuess: 0.01, pSlip: 0.6 }, '#/metadata/bkt/pSlip'],
    ] as const) {
      const problem = await expectProblem(
        await send('POST', '/v1/admin/skills', { admin: true, body: { name: 'Bad', metadata: { bkt } } }),
        400,
      )
      expect(problem.errors?.map((e) => e.pointer)).toContain(pointer)
    }
  })
})
