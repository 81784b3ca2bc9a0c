/** Review scheduling: the cron in workerd with a controlled clock, fresh reads, and the review list. */
import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { type SkillState, skillStates } from '../src/db/schema.ts'
import worker from '../src/index.ts'
import { insertActivity, insertAttempt, insertSkill, insertUnit } from './fixtures.ts'
import { countRoundTrips, json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()
const day = 86_400_000

/** A learner with a mastered state on a new skill, due at `due`. */
/** A mastered skill of one unit (with an activity, unless the test adds its own). */
async function masteredSkill(learnerId: string, due: Date, name = 'Skill', withActivity = true) {
  const skill = await insertSkill(db, { name })
  const unit = await insertUnit(db, skill.id)
  if (withActivity) await insertActivity(db, unit.id)
  const [state] = await db
    .insert(skillStates)
    .values({
      learnerId,
      skillId: skill.id,
      status: 'mastered',
      masteryScore: 0.97,
      unitKnowledge: { [unit.id]: 0.97 },
      progress: 1,
      due,
      cardState: 2,
      reps: 1,
    })
    .returning()
  return { skill, unit, state: state as SkillState }
}

async function runCron(scheduledTime: Date) {
  const controller = createScheduledController({ scheduledTime, cron: '*/10 * * * *' })
  await worker.scheduled(controller, env)
}

const statusOf = async (id: string) =>
  (await db.select().from(skillStates).where(eq(skillStates.id, id)))[0]?.status

describe('the scheduled handler', () => {
  it('flips mastered states due by the scheduled time to review_needed, and no others', async () => {
    const { id: learnerId } = await newLearner()
    // Within the sessions' idle year: the cron also deletes learners idle past it.
    const dueAt = new Date(Date.now() + 30 * day)
    const { state: dueState } = await masteredSkill(learnerId, dueAt)
    const { state: later } = await masteredSkill(learnerId, new Date(dueAt.getTime() + day))

    await runCron(new Date(dueAt.getTime() - 1))
    expect([await statusOf(dueState.id), await statusOf(later.id)]).toEqual(['mastered', 'mastered'])

    await runCron(dueAt)
    expect([await statusOf(dueState.id), await statusOf(later.id)]).toEqual(['review_needed', 'mastered'])
    const [row] = await db.select().from(skillStates).where(eq(skillStates.id, dueState.id))
    expect(row?.version).toBe(dueState.version + 1)

    await runCron(new Date(dueAt.getTime() + 2 * day))
    expect(await statusOf(later.id)).toBe('review_needed')
  })

  it('uses the partial index on due for its scan', async () => {
    // Statistics as in production, where few states are mastered: without them the planner's choice
    // between this index and the one on status depended on what earlier tests left in the table.
    await db.$client.transaction((sql) => [
      sql`INSERT INTO skills (id, name) VALUES ('00000000-0000-4000-8000-00000000beef', 'Stats')`,
      sql`INSERT INTO learners (display_name) SELECT 'stats-' || n FROM generate_series(1, 400) n`,
      sql`INSERT INTO skill_states (learner_id, skill_id, status, due)
        SELECT id, '00000000-0000-4000-8000-00000000beef',
          CASE WHEN row_number() OVER () % 20 = 0 THEN 'mastered'::skill_state_status ELSE 'in_progress' END,
          CASE WHEN row_number() OVER () % 20 = 0 THEN now() + interval '1 day' END
        FROM learners WHERE display_name LIKE 'stats-%'`,
    ])
    await db.$client.query('ANALYZE skill_states')
    // With a few hundred rows Postgres prefers a sequential scan; forbid it to see that the index fits.
    const [, plan] = await db.$client.transaction((sql) => [
      sql`SET LOCAL enable_seqscan = off`,
      sql`EXPLAIN UPDATE skill_states SET status = 'review_needed' WHERE status = 'mastered' AND due <= now()`,
    ])
    expect(JSON.stringify(plan)).toContain('skill_states_mastered_due_idx')
  })
})

describe('reads are never stale between cron runs', () => {
  it('GET /v1/me/skills reports review_needed for a mastered skill past its due date', async () => {
    const { cookie, id } = await newLearner()
    await masteredSkill(id, new Date(Date.now() - 60_000), 'Due')
    await masteredSkill(id, new Date(Date.now() + day), 'Not yet')
    const { items } = await json<{ items: { name: string; status: string }[] }>(
      await send('GET', '/v1/me/skills', { cookie }),
      200,
    )
    expect(items.map((s) => [s.name, s.status])).toEqual([
      ['Due', 'review_needed'],
      ['Not yet', 'mastered'],
    ])
  })
})

describe('GET /v1/me/review', () => {
  it('lists due skills most overdue first, suggesting activities attempted longest ago, in one round trip', async () => {
    const { cookie, id } = await newLearner()
    const { id: otherLearner } = await newLearner()
    const now = Date.now()
    const recent = await masteredSkill(id, new Date(now - day), 'Recently due')
    const overdue = await masteredSkill(id, new Date(now - 5 * day), 'Long overdue', false)
    await db.update(skillStates).set({ status: 'review_needed' }).where(eq(skillStates.id, overdue.state.id))
    await masteredSkill(id, new Date(now + day), 'Not due')
    await masteredSkill(otherLearner, new Date(now - 9 * day), 'Someone else’s')
    // Due, but a unit was added since it was mastered: in progress again, not a review.
    const grown = await masteredSkill(id, new Date(now - 2 * day), 'Grown since')
    await insertActivity(db, (await insertUnit(db, grown.skill.id, { name: 'New unit' })).id)

    const [a, b, c, d] = [
      await insertActivity(db, overdue.unit.id, { name: 'A', order: 1 }),
      await insertActivity(db, overdue.unit.id, { name: 'B', order: 2 }),
      await insertActivity(db, overdue.unit.id, { name: 'C', order: 3 }),
      await insertActivity(db, overdue.unit.id, { name: 'D', order: 4 }),
    ]
    await insertAttempt(db, id, a.id, { startedAt: new Date(now - 3 * day) })
    await insertAttempt(db, id, b.id, { startedAt: new Date(now - 10 * day) })
    await insertAttempt(db, otherLearner, c.id, { startedAt: new Date(now) }) // not this learner's
    void d

    const { result: res, roundTrips } = await countRoundTrips(() => send('GET', '/v1/me/review', { cookie }))
    const { items } = await json<{
      items: {
        name: string
        dueAt: string
        suggestedActivities: { name: string; lastAttemptedAt: string | null }[]
      }[]
    }>(res, 200)
    expect(roundTrips).toBe(1)
    expect(items.map((i) => i.name)).toEqual(['Long overdue', 'Recently due'])
    expect(items[0]?.suggestedActivities.map((s) => s.name)).toEqual(['C', 'D', 'B'])
    expect(items[0]?.suggestedActivities[2]?.lastAttemptedAt).toBe(new Date(now - 10 * day).toISOString())
    expect(items[1]?.suggestedActivities.map((s) => s.name)).toEqual(['Activity'])
    expect(items[1]?.dueAt).toBe(recent.state.due?.toISOString())
  })
})
