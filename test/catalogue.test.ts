import { describe, expect, it } from 'vitest'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { api, countRoundTrips, expectProblem, json, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()

type Page = { items: { id: string; name: string }[]; nextCursor: string | null }

describe('GET /v1/skills', () => {
  it('pages through every skill by name with keyset cursors, never repeating one', async () => {
    // Duplicate names: the id breaks the tie, so the cursor is exact.
    for (const name of ['Delta', 'Alpha', 'Charlie', 'Bravo', 'Bravo', 'Echo', 'Bravo'])
      await insertSkill(db, { name })
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Page = await json<Page>(
        await api(`/v1/skills?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      )
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((s) => s.id))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(4)
    expect(new Set(seen).size).toBe(7)
    const all = await json<Page>(await api('/v1/skills?limit=100'), 200)
    expect(all.items.map((s) => s.id)).toEqual(seen)
    expect(all.items.map((s) => s.name)).toEqual([
      'Alpha',
      'Bravo',
      'Bravo',
      'Bravo',
      'Charlie',
      'Delta',
      'Echo',
    ])
    expect(all.nextCursor).toBeNull()
  })

  it('defaults to 20 items', async () => {
    for (let i = 0; i < 21; i++) await insertSkill(db, { name: `Skill ${String(i).padStart(2, '0')}` })
    const page = await json<Page>(await api('/v1/skills'), 200)
    expect(page.items).toHaveLength(20)
    expect(page.nextCursor).not.toBeNull()
  })

  it('refuses bad limits and cursors before any query', async () => {
    for (const query of [
      'limit=0',
      'limit=-1',
      'limit=abc',
      'limit=1e3',
      'limit=101',
      'limit=1&limit=2',
      'limit=1.5',
      'cursor=not-a-cursor',
      `cursor=${btoa('["a","not-a-uuid"]')}`,
    ]) {
      const { result: res, roundTrips } = await countRoundTrips(() => api(`/v1/skills?${query}`))
      const problem = await expectProblem(res, 400)
      expect(problem.errors?.[0]?.parameter, query).toMatch(/^(limit|cursor)$/)
      expect(roundTrips, query).toBe(0)
    }
  })

  it('reads no cookie: the same body with or without one, and no Set-Cookie', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const anonymous = await api('/v1/skills')
    const withCookie = await send('GET', '/v1/skills', { cookie: `${cookie}; other=1` })
    expect(await withCookie.text()).toBe(await anonymous.text())
    for (const res of [anonymous, withCookie]) {
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(res.headers.get('vary') ?? '').not.toMatch(/cookie/i)
      expect(res.headers.get('cache-control')).toBe('public, max-age=60')
    }
  })
})

describe('GET /v1/skills/{skillId}', () => {
  it('returns units and activities ordered by `order`, in one round trip, without content', async () => {
    const skill = await insertSkill(db, { name: 'Tree' })
    const second = await insertUnit(db, skill.id, { name: 'Second', order: 2 })
    const first = await insertUnit(db, skill.id, { name: 'First', order: 1 })
    await insertActivity(db, first.id, { name: 'B', order: 2 })
    await insertActivity(db, first.id, { name: 'A', order: 1 })
    const { result: res, roundTrips } = await countRoundTrips(() => api(`/v1/skills/${skill.id}`))
    const tree = await json<{ units: { id: string; activities: Record<string, unknown>[] }[] }>(res, 200)
    expect(roundTrips).toBe(1)
    expect(tree.units.map((u) => u.id)).toEqual([first.id, second.id])
    expect(tree.units[0]?.activities.map((a) => a.name)).toEqual(['A', 'B'])
    expect(tree.units[0]?.activities[0]).toMatchObject({ questionCount: 2, type: 'practice' })
    expect(tree.units[0]?.activities[0]).not.toHaveProperty('content')
    expect(tree.units[1]?.activities).toEqual([])
  })

  it('is a 404 problem for an unknown id, and treats upper-case UUIDs like lower-case ones', async () => {
    const skill = await insertSkill(db)
    expect((await api(`/v1/skills/${skill.id.toUpperCase()}`)).status).toBe(200)
    await expectProblem(await api(`/v1/skills/${crypto.randomUUID()}`), 404)
  })

  it('refuses malformed ids with a 400 before any query', async () => {
    for (const id of ['not-a-uuid', '123', '%00', `${crypto.randomUUID()}0`, "1' OR '1'='1"]) {
      const { result: res, roundTrips } = await countRoundTrips(() =>
        api(`/v1/skills/${encodeURIComponent(id)}`),
      )
      const problem = await expectProblem(res, 400)
      expect(problem.errors).toEqual([{ parameter: 'skillId', detail: 'must be a UUID' }])
      expect(roundTrips).toBe(0)
    }
  })
})

describe('GET /v1/units/{unitId}', () => {
  it('returns the unit and its ordered activities', async () => {
    const skill = await insertSkill(db)
    const unit = await insertUnit(db, skill.id, { name: 'Fractions' })
    await insertActivity(db, unit.id, { name: 'Two', order: 2 })
    await insertActivity(db, unit.id, { name: 'One', order: 1 })
    const body = await json<{ name: string; skillId: string; activities: { name: string }[] }>(
      await api(`/v1/units/${unit.id}`),
      200,
    )
    expect(body).toMatchObject({ name: 'Fractions', skillId: skill.id })
    expect(body.activities.map((a) => a.name)).toEqual(['One', 'Two'])
    await expectProblem(await api(`/v1/units/${crypto.randomUUID()}`), 404)
  })
})

describe('GET /v1/activities/{activityId}', () => {
  it('shows learners the questions but never answer keys, tolerances or explanations', async () => {
    await buildPracticeCatalogue(db)
    const id = PRACTICE.activities.challenge // has numeric tolerance, explanations and choices
    const { result: res, roundTrips } = await countRoundTrips(() => api(`/v1/activities/${id}`))
    const activity = await json<{
      content: { passingScore: number; questions: Record<string, unknown>[]; review: unknown }
    }>(res, 200)
    // Everything but the review policy, whose `answers` says when keys are shown (never, here).
    const text = JSON.stringify({ ...activity, content: { ...activity.content, review: undefined } })
    expect(activity.content.review).toEqual({ correctness: false, answers: 'never' })
    expect(roundTrips).toBe(1)
    expect(activity.content.passingScore).toBe(0.8)
    expect(activity.content.questions.map((q) => Object.keys(q).sort())).toEqual([
      ['id', 'kind', 'points', 'prompt', 'renews'],
      ['id', 'kind', 'points', 'prompt', 'renews'],
      ['choices', 'id', 'kind', 'points', 'prompt', 'renews'],
    ])
    for (const secret of [
      '"answer"',
      '"answers"',
      'acceptedAnswers',
      'tolerance',
      'explanation',
      '50 − 18 = 32',
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('names its unit and skill, so a page shows where it is from one request', async () => {
    const skill = await insertSkill(db, { name: 'Fractions' })
    const unit = await insertUnit(db, skill.id, { name: 'Halves and quarters' })
    const activity = await insertActivity(db, unit.id, { name: 'Cut the cake' })
    const { result: res, roundTrips } = await countRoundTrips(() => api(`/v1/activities/${activity.id}`))
    expect(await json(res, 200)).toMatchObject({
      name: 'Cut the cake',
      unit: { id: unit.id, name: 'Halves and quarters' },
      skill: { id: skill.id, name: 'Fractions' },
    })
    expect(roundTrips).toBe(1)
  })

  it('is a 404 problem for an unknown activity', async () => {
    await expectProblem(await api(`/v1/activities/${crypto.randomUUID()}`), 404)
  })
})
