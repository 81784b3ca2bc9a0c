/** What a delete would cascade to, and a skill reordered in one atomic request. */
import { asc, eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { activities, units } from '../src/db/schema.ts'
import { insertActivity, insertUnit } from './fixtures.ts'
import {
  completeActivity,
  countRoundTrips,
  expectProblem,
  json,
  newLearner,
  send,
  testDb,
} from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const { skills: skill, units: unit, activities: activity } = PRACTICE

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

describe('GET /v1/admin/{skills|units|activities}/{id}/cascade', () => {
  it('counts what a delete would take along, in one round trip, deleting nothing', async () => {
    const first = await newLearner()
    const second = await newLearner()
    await completeActivity(first.cookie, activity.addition)
    await completeActivity(first.cookie, activity.takeAway)
    await completeActivity(second.cookie, activity.addition)
    const cascade = (path: string) => send('GET', `/v1/admin/${path}/cascade`, { admin: true })

    const { result, roundTrips } = await countRoundTrips(() => cascade(`skills/${skill.math}`))
    expect(roundTrips).toBe(1)
    expect(await json(result, 200)).toEqual({
      units: 2,
      activities: 4,
      attempts: 3,
      learners: 2,
      skillStates: 2,
      prerequisites: 1,
    })
    expect(await json(await cascade(`units/${unit.addition}`), 200)).toEqual({
      units: 0,
      activities: 2,
      attempts: 2,
      learners: 2,
      skillStates: 0,
      prerequisites: 0,
    })
    expect(await json(await cascade(`activities/${activity.takeAway}`), 200)).toMatchObject({
      activities: 0,
      attempts: 1,
      learners: 1,
    })
    await expectProblem(await cascade(`skills/${crypto.randomUUID()}`), 404)
    expect(await db.select().from(activities)).toHaveLength(6)
  })
})

describe('PUT /v1/admin/skills/{skillId}/order', () => {
  const orderOf = async () =>
    (await db.select().from(units).where(eq(units.skillId, skill.math)).orderBy(asc(units.order))).map(
      (u) => u.id,
    )

  it('reorders units and activities in one round trip, and the skill tree shows the new order', async () => {
    const extra = await insertActivity(db, unit.subtraction, { name: 'Extra', order: 9 })
    const body = {
      units: [
        { id: unit.subtraction, activities: [extra.id, activity.challenge, activity.takeAway] },
        { id: unit.addition, activities: [activity.additionQuiz, activity.addition] },
      ],
    }
    const { result, roundTrips } = await countRoundTrips(() =>
      send('PUT', `/v1/admin/skills/${skill.math}/order`, { admin: true, body }),
    )
    expect(result.status).toBe(204)
    expect(roundTrips).toBe(1)
    expect(await orderOf()).toEqual([unit.subtraction, unit.addition])
    const tree = await json<{ units: { id: string; activities: { id: string }[] }[] }>(
      await send('GET', `/v1/skills/${skill.math}`),
      200,
    )
    expect(tree.units.map((u) => ({ id: u.id, activities: u.activities.map((a) => a.id) }))).toEqual(
      body.units,
    )
  })

  it('refuses a list that misses or adds anything with a 409, changing nothing', async () => {
    const before = await orderOf()
    const added = await insertUnit(db, skill.math, { name: 'Added meanwhile', order: 5 })
    const stale = {
      units: [
        { id: unit.subtraction, activities: [activity.challenge, activity.takeAway] },
        { id: unit.addition, activities: [activity.additionQuiz, activity.addition] },
      ],
    }
    const problem = await expectProblem(
      await send('PUT', `/v1/admin/skills/${skill.math}/order`, { admin: true, body: stale }),
      409,
    )
    expect(problem.detail).toMatch(/every unit/)
    expect(await orderOf()).toEqual([...before, added.id])
    // An activity of another skill is not this skill's to order.
    const foreign = {
      units: [...stale.units, { id: added.id, activities: [activity.scientificMethod] }],
    }
    await expectProblem(
      await send('PUT', `/v1/admin/skills/${skill.math}/order`, { admin: true, body: foreign }),
      409,
    )
    const [science] = await db.select().from(activities).where(eq(activities.id, activity.scientificMethod))
    expect(science?.unitId).toBe(unit.scientificMethod)
  })

  it('refuses duplicates with a 400 and an unknown skill with a 404', async () => {
    const twice = { units: [{ id: unit.addition, activities: [activity.addition, activity.addition] }] }
    const problem = await expectProblem(
      await send('PUT', `/v1/admin/skills/${skill.math}/order`, { admin: true, body: twice }),
      400,
    )
    expect(problem.errors?.[0]?.pointer).toBe('#/units/0/activities')
    await expectProblem(
      await send('PUT', `/v1/admin/skills/${crypto.randomUUID()}/order`, {
        admin: true,
        body: { units: [] },
      }),
      404,
    )
  })
})
