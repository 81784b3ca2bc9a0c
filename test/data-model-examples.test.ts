/** The examples of docs/data-model.md, run against the database. */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { skillWithUnitsAndActivities, upsertSkillState } from '../examples/data-model.ts'
import { skillStates } from '../src/db/schema.ts'
import { insertActivity, insertLearner, insertSkill, insertUnit } from './fixtures.ts'
import { countRoundTrips, testDb } from './helpers.ts'

const db = testDb()

describe('docs/data-model.md examples', () => {
  it('read a skill with its units and activities, in order, in one round trip', async () => {
    const skill = await insertSkill(db, { name: 'Geometry' })
    const second = await insertUnit(db, skill.id, { name: 'Angles', order: 2 })
    const first = await insertUnit(db, skill.id, { name: 'Shapes', order: 1 })
    await insertActivity(db, first.id, { name: 'Later', order: 2 })
    await insertActivity(db, first.id, { name: 'Sooner', order: 1 })
    const { result, roundTrips } = await countRoundTrips(() => skillWithUnitsAndActivities(db, skill.id))
    expect(roundTrips).toBe(1)
    expect(result?.units.map((unit) => unit.name)).toEqual(['Shapes', 'Angles'])
    expect(result?.units[0]?.activities.map((activity) => activity.name)).toEqual(['Sooner', 'Later'])
    expect(result?.units[1]?.id).toBe(second.id)
  })

  it('upsert a skill state: a second write updates the same row and moves its version', async () => {
    const learner = await insertLearner(db)
    const skill = await insertSkill(db)
    const state = { learnerId: learner.id, skillId: skill.id, masteryScore: 0.4, progress: 0 }
    const [created] = await upsertSkillState(db, state)
    const [updated] = await upsertSkillState(db, { ...state, masteryScore: 0.6, progress: 0.5 })
    expect(created).toMatchObject({ version: 1, masteryScore: 0.4 })
    expect(updated).toMatchObject({ id: created?.id, version: 2, masteryScore: 0.6, progress: 0.5 })
    expect(await db.select().from(skillStates).where(eq(skillStates.learnerId, learner.id))).toHaveLength(1)
  })
})
