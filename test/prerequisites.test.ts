/** Prerequisites: admin edits, cycles refused by the database (also under a race), what learners see. */
import { describe, expect, inject, it } from 'vitest'
import { skillStates } from '../src/db/schema.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { countRoundTrips, expectProblem, json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()

type Prerequisites = { skillId: string; prerequisites: { id: string; name: string; level: number }[] }
type MySkill = { skillId: string; status: string; recommendedAfter: { id: string }[] }

const requires = (skillId: string, requiredSkillId: string) =>
  send('PUT', `/v1/admin/skills/${skillId}/prerequisites/${requiredSkillId}`, { admin: true })

/** Three skills, each with a unit and an activity. */
async function threeSkills() {
  const make = async (name: string, level: number) => {
    const skill = await insertSkill(db, { name, level })
    const unit = await insertUnit(db, skill.id)
    await insertActivity(db, unit.id)
    return { ...skill, unitId: unit.id }
  }
  return { a: await make('A', 1), b: await make('B', 2), c: await make('C', 3) }
}

describe('admin prerequisite edits', () => {
  it('adds an edge idempotently in one round trip, shows it in catalogue reads, and removes it', async () => {
    const { a, b, c } = await threeSkills()
    const { result, roundTrips } = await countRoundTrips(() => requires(c.id, b.id))
    expect(roundTrips).toBe(1)
    expect(await json<Prerequisites>(result, 200)).toEqual({
      skillId: c.id,
      prerequisites: [{ id: b.id, name: 'B', level: 2 }],
    })
    await json(await requires(c.id, a.id), 200)
    const again = await json<Prerequisites>(await requires(c.id, a.id), 200)
    expect(again.prerequisites.map((p) => p.name)).toEqual(['A', 'B'])

    const tree = await json<{ prerequisites: { id: string }[] }>(await send('GET', `/v1/skills/${c.id}`), 200)
    expect(tree.prerequisites.map((p) => p.id)).toEqual([a.id, b.id])
    const list = await json<{ items: { id: string; prerequisites: unknown[] }[] }>(
      await send('GET', '/v1/skills'),
      200,
    )
    expect(list.items.map((s) => s.prerequisites.length)).toEqual([0, 0, 2])

    expect(
      (await send('DELETE', `/v1/admin/skills/${c.id}/prerequisites/${b.id}`, { admin: true })).status,
    ).toBe(204)
    await expectProblem(
      await send('DELETE', `/v1/admin/skills/${c.id}/prerequisites/${b.id}`, { admin: true }),
      404,
    )
    const after = await json<{ prerequisites: { id: string }[] }>(
      await send('GET', `/v1/skills/${c.id}`),
      200,
    )
    expect(after.prerequisites.map((p) => p.id)).toEqual([a.id])
  })

  it('refuses a cycle, direct or through other skills, and a skill requiring itself, with a 409', async () => {
    const { a, b, c } = await threeSkills()
    await json(await requires(b.id, a.id), 200)
    await json(await requires(c.id, b.id), 200)
    const direct = await expectProblem(await requires(a.id, b.id), 409)
    expect(direct.detail).toMatch(/cycle/)
    await expectProblem(await requires(a.id, c.id), 409)
    const itself = await expectProblem(await requires(a.id, a.id), 409)
    expect(itself.detail).toMatch(/itself/)
    const edges = await db.query.skillPrerequisites.findMany()
    expect(edges).toHaveLength(2)
  })

  it('answers 404 for an unknown skill on either side, and needs the admin token', async () => {
    const { a } = await threeSkills()
    const unknown = '00000000-0000-4000-8000-00000000dead'
    expect((await expectProblem(await requires(unknown, a.id), 404)).detail).toBe('No skill with this id.')
    expect((await expectProblem(await requires(a.id, unknown), 404)).detail).toMatch(/required skill/)
    await expectProblem(await send('PUT', `/v1/admin/skills/${a.id}/prerequisites/${a.id}`), 401)
  })

  it.skipIf(inject('databaseBackend') !== 'postgres')(
    'lets one of two concurrent opposite edges in, never both (PostgreSQL: requests run concurrently)',
    async () => {
      for (let round = 0; round < 10; round++) {
        const a = await insertSkill(db, { name: `A${round}` })
        const b = await insertSkill(db, { name: `B${round}` })
        const answers = await Promise.all([requires(a.id, b.id), requires(b.id, a.id)])
        expect(answers.map((res) => res.status).sort()).toEqual([200, 409])
        const edges = await db.query.skillPrerequisites.findMany()
        expect(edges.filter((e) => [a.id, b.id].includes(e.skillId))).toHaveLength(1)
      }
    },
  )
})

describe('what a learner sees', () => {
  it('marks a skill recommended after its unmastered prerequisites, until they are mastered', async () => {
    const { a, b, c } = await threeSkills()
    await json(await requires(c.id, a.id), 200)
    await json(await requires(c.id, b.id), 200)
    const { cookie, id: learnerId } = await newLearner()
    const mine = async () =>
      (await json<{ items: MySkill[] }>(await send('GET', '/v1/me/skills', { cookie }), 200)).items
    expect((await mine()).find((s) => s.skillId === c.id)?.recommendedAfter.map((r) => r.id)).toEqual([
      a.id,
      b.id,
    ])

    // A mastered; B mastered in status but one of its units below the threshold: not mastered.
    await db.insert(skillStates).values([
      {
        learnerId,
        skillId: a.id,
        status: 'mastered',
        unitKnowledge: { [a.unitId]: 0.97 },
        due: new Date(Date.now() + 9e8),
      },
      {
        learnerId,
        skillId: b.id,
        status: 'mastered',
        unitKnowledge: { [b.unitId]: 0.9 },
        due: new Date(Date.now() + 9e8),
      },
    ])
    const skills = await mine()
    expect(skills.find((s) => s.skillId === b.id)?.status).toBe('in_progress')
    expect(skills.find((s) => s.skillId === c.id)?.recommendedAfter.map((r) => r.id)).toEqual([b.id])
    const detail = await json<MySkill>(await send('GET', `/v1/me/skills/${c.id}`, { cookie }), 200)
    expect(detail.recommendedAfter.map((r) => r.id)).toEqual([b.id])
    expect(detail.status).toBe('not_started')
  })
})
