/** Up next: each reason, the order between and within them, and its one round trip. */
import { describe, expect, it } from 'vitest'
import { skillPrerequisites, skillStates } from '../src/db/schema.ts'
import { insertActivity, insertAttempt, insertSkill, insertUnit } from './fixtures.ts'
import { countRoundTrips, json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()
const day = 86_400_000

type Step = {
  reason: string
  skill: { id: string; name: string }
  unit: { id: string; knowledge: number }
  activity: { id: string }
  dueAt: string | null
  explanation: string
}

/** A skill of two units, each with two activities (ordered 0, 1). */
async function skillOfTwoUnits(name: string, level = 1) {
  const skill = await insertSkill(db, { name, level })
  const units = []
  for (const order of [0, 1]) {
    const unit = await insertUnit(db, skill.id, { name: `${name} unit ${order}`, order })
    const first = await insertActivity(db, unit.id, { name: `${name} ${order}.0`, order: 0 })
    const second = await insertActivity(db, unit.id, { name: `${name} ${order}.1`, order: 1 })
    units.push({ ...unit, activities: [first, second] })
  }
  return { ...skill, units }
}

const next = async (cookie: string, limit?: number) =>
  (
    await json<{ items: Step[] }>(
      await send('GET', `/v1/me/next${limit ? `?limit=${limit}` : ''}`, { cookie }),
      200,
    )
  ).items

describe('GET /v1/me/next', () => {
  it('starts a new learner on the lowest level skills ready to start, skipping those recommended after others', async () => {
    const basics = await skillOfTwoUnits('Basics', 1)
    const advanced = await skillOfTwoUnits('Advanced', 2)
    const other = await skillOfTwoUnits('Another basic', 1)
    await insertSkill(db, { name: 'Empty', level: 1 })
    await db.insert(skillPrerequisites).values({ skillId: advanced.id, requiredSkillId: basics.id })
    const { cookie } = await newLearner()
    const steps = await next(cookie)
    expect(steps.map((s) => [s.reason, s.skill.name])).toEqual([
      ['start', 'Another basic'],
      ['start', 'Basics'],
    ])
    expect(steps[1]?.activity.id).toBe(basics.units[0]?.activities[0]?.id)
    expect(other.id).toBe(steps[0]?.skill.id)
  })

  it('orders reviews due (most overdue first), then skills in progress (latest first), then new skills', async () => {
    const { cookie, id: learnerId } = await newLearner()
    const overdue = await skillOfTwoUnits('Overdue')
    const justDue = await skillOfTwoUnits('Just due')
    const older = await skillOfTwoUnits('Older practice')
    const recent = await skillOfTwoUnits('Recent practice')
    const fresh = await skillOfTwoUnits('Fresh')
    const learned = (skill: typeof overdue) => Object.fromEntries(skill.units.map((u) => [u.id, 0.97]))
    const now = Date.now()
    await db.insert(skillStates).values([
      {
        learnerId,
        skillId: justDue.id,
        status: 'mastered',
        unitKnowledge: learned(justDue),
        due: new Date(now - day),
      },
      {
        learnerId,
        skillId: overdue.id,
        status: 'mastered',
        unitKnowledge: learned(overdue),
        due: new Date(now - 5 * day),
      },
      { learnerId, skillId: older.id, status: 'in_progress', updatedAt: new Date(now - 2 * day) },
      { learnerId, skillId: recent.id, status: 'in_progress', updatedAt: new Date(now - day) },
    ])
    const steps = await next(cookie, 20)
    expect(steps.map((s) => [s.reason, s.skill.name])).toEqual([
      ['review_due', 'Overdue'],
      ['review_due', 'Just due'],
      ['continue', 'Recent practice'],
      ['continue', 'Older practice'],
      ['start', 'Fresh'],
    ])
    expect(steps[0]?.dueAt).toBe(new Date(now - 5 * day).toISOString())
    expect(await next(cookie, 2)).toEqual(steps.slice(0, 2))
    expect(fresh.id).toBe(steps[4]?.skill.id)
  })

  it('continues at the weakest unit, with its first activity not passed yet', async () => {
    const { cookie, id: learnerId } = await newLearner()
    const skill = await skillOfTwoUnits('Skill')
    const [strong, weak] = skill.units as [(typeof skill.units)[0], (typeof skill.units)[0]]
    await db.insert(skillStates).values({
      learnerId,
      skillId: skill.id,
      status: 'in_progress',
      unitKnowledge: { [strong.id]: 0.8, [weak.id]: 0.3 },
    })
    const completed = {
      status: 'completed' as const,
      score: 2,
      maxScore: 2,
      startedAt: new Date(Date.now() - 60_000),
      completedAt: new Date(),
    }
    await insertAttempt(db, learnerId, weak.activities[0]?.id as string, { ...completed, passed: true })

    const [step] = await next(cookie)
    expect(step).toMatchObject({ reason: 'continue', unit: { id: weak.id, knowledge: 0.3 } })
    expect(step?.activity.id).toBe(weak.activities[1]?.id)

    // Every activity of the weak unit passed: the next weakest unit with one to do.
    await insertAttempt(db, learnerId, weak.activities[1]?.id as string, { ...completed, passed: true })
    const [then] = await next(cookie)
    expect(then?.unit.id).toBe(strong.id)
    expect(then?.activity.id).toBe(strong.activities[0]?.id)
  })

  it('counts a unit never practised at the prior, and costs one round trip', async () => {
    const { cookie, id: learnerId } = await newLearner()
    const skill = await skillOfTwoUnits('Skill')
    const [practised, untouched] = skill.units as [(typeof skill.units)[0], (typeof skill.units)[0]]
    // Above the prior (0.2 by default): the untouched unit is the weaker one.
    await db.insert(skillStates).values({
      learnerId,
      skillId: skill.id,
      status: 'in_progress',
      unitKnowledge: { [practised.id]: 0.5 },
    })
    const { result, roundTrips } = await countRoundTrips(() => next(cookie))
    expect(roundTrips).toBe(1)
    expect(result[0]?.unit).toEqual({ id: untouched.id, name: untouched.name, knowledge: 0.2 })
    expect(result[0]?.explanation).toContain(untouched.name)
  })
})
