/**
 * No lost updates: simultaneous submissions of one learner on one skill end in exactly the state
 * that some serial order gives. Run in CI against PGlite and against a PostgreSQL server (where the
 * requests really are concurrent).
 */
import { and, count, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attempts, skillStates } from '../src/db/schema.ts'
import { bktUpdate, DEFAULT_BKT } from '../src/mastery/bkt.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()
const numeric = (id: string, answer: number) => ({
  id,
  kind: 'numeric' as const,
  prompt: `${answer}?`,
  answer,
})

describe('20 concurrent submissions for one learner and skill', () => {
  it('all complete, and P(L) equals 20 sequential all-correct updates', async () => {
    const skill = await insertSkill(db)
    const unit = await insertUnit(db, skill.id)
    // Twenty activities, since a learner has at most one attempt open per activity.
    const activities = await Promise.all(
      Array.from({ length: 20 }, (_, order) =>
        insertActivity(db, unit.id, {
          order,
          content: { passingScore: 0.7, questions: [numeric('q1', 1), numeric('q2', 2), numeric('q3', 3)] },
        }),
      ),
    )
    const { cookie, id: learnerId } = await newLearner()
    const started = await Promise.all(
      activities.map((activity) => send('POST', `/v1/activities/${activity.id}/attempts`, { cookie })),
    )
    const ids = await Promise.all(started.map(async (res) => (await json<{ id: string }>(res, 201)).id))

    const answers = { response: { answers: { q1: 1, q2: 2, q3: 3 } } }
    const submitted = await Promise.all(
      ids.map((id) => send('POST', `/v1/attempts/${id}/submit`, { cookie, body: answers })),
    )
    const statuses = await Promise.all(
      submitted.map(async (res) => `${res.status} ${res.status === 200 ? '' : await res.text()}`),
    )
    expect(statuses).toEqual(Array(20).fill('200 '))

    const [completed] = await db
      .select({ n: count() })
      .from(attempts)
      .where(and(eq(attempts.learnerId, learnerId), eq(attempts.status, 'completed')))
    expect(completed?.n).toBe(20)

    const [state] = await db.select().from(skillStates).where(eq(skillStates.learnerId, learnerId))
    const sixtyRight = Array.from({ length: 60 }, () => ({ correct: true, pGuess: DEFAULT_BKT.pGuess }))
    expect(state?.masteryScore).toBeCloseTo(bktUpdate(DEFAULT_BKT.pInit, sixtyRight, DEFAULT_BKT), 12)
    // Every submission was applied once, in turn: the first mastered the skill, 19 reviewed it.
    expect(state).toMatchObject({ status: 'mastered', progress: 1, version: 20, reps: 20 })
  })
})
