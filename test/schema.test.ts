/** The schema's promises, checked against the migrated database: cascades, uniqueness, enums, CHECKs. */
import { count, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import {
  activities,
  attempts,
  learners,
  passkeys,
  sessions,
  skillStates,
  skills,
  units,
} from '../src/db/schema.ts'
import {
  insertActivity,
  insertAttempt,
  insertCatalogue,
  insertLearner,
  insertSkill,
  insertUnit,
} from './fixtures.ts'
import { countRoundTrips, testDb } from './helpers.ts'

const db = testDb()

/** The SQLSTATE of a failed Drizzle query (the driver's error is its cause). */
async function sqlstate(query: Promise<unknown>) {
  const error = (await query.then(
    () => undefined,
    (e: unknown) => e,
  )) as { cause?: { code?: string; constraint?: string } } | undefined
  expect(error, 'the statement should have failed').toBeDefined()
  return { code: error?.cause?.code, constraint: error?.cause?.constraint }
}

const rows = async (
  table:
    | typeof skills
    | typeof units
    | typeof activities
    | typeof attempts
    | typeof skillStates
    | typeof sessions
    | typeof passkeys,
) => (await db.select({ n: count() }).from(table))[0]?.n

describe('cascades', () => {
  it('deleting a skill deletes its units, activities, attempts and skill states', async () => {
    const { skill, activity } = await insertCatalogue(db)
    const learner = await insertLearner(db)
    await insertAttempt(db, learner.id, activity.id)
    await db.insert(skillStates).values({ learnerId: learner.id, skillId: skill.id })

    await db.delete(skills).where(eq(skills.id, skill.id))

    expect([
      await rows(units),
      await rows(activities),
      await rows(attempts),
      await rows(skillStates),
    ]).toEqual([0, 0, 0, 0])
  })

  it('deleting a learner deletes their attempts, skill states, sessions and passkeys, and nothing of the catalogue', async () => {
    const { skill, activity } = await insertCatalogue(db)
    const learner = await insertLearner(db)
    const other = await insertLearner(db)
    await insertAttempt(db, learner.id, activity.id)
    await insertAttempt(db, other.id, activity.id)
    await db.insert(skillStates).values({ learnerId: learner.id, skillId: skill.id })
    await db.insert(sessions).values({ learnerId: learner.id, tokenHash: 'f'.repeat(64), label: 'curl' })
    await db.insert(passkeys).values({
      learnerId: learner.id,
      credentialId: 'AQID',
      publicKey: { kty: 'EC' },
      algorithm: -7,
      name: 'Phone',
    })

    await db.delete(learners).where(eq(learners.id, learner.id))

    expect(await rows(attempts)).toBe(1)
    expect(await rows(skillStates)).toBe(0)
    expect([await rows(sessions), await rows(passkeys)]).toEqual([0, 0])
    expect(await rows(activities)).toBe(1)
  })
})

describe('uniqueness', () => {
  it('one skill state per learner and skill', async () => {
    const skill = await insertSkill(db)
    const learner = await insertLearner(db)
    await db.insert(skillStates).values({ learnerId: learner.id, skillId: skill.id })
    expect(
      await sqlstate(db.insert(skillStates).values({ learnerId: learner.id, skillId: skill.id })),
    ).toEqual({
      code: '23505',
      constraint: 'skill_states_learner_skill_unique',
    })
  })

  it('one session per session hash, one passkey per credential id', async () => {
    const learner = await insertLearner(db)
    const other = await insertLearner(db)
    const session = { tokenHash: 'a'.repeat(64), label: 'Firefox on Linux' }
    await db.insert(sessions).values({ learnerId: learner.id, ...session })
    expect(await sqlstate(db.insert(sessions).values({ learnerId: other.id, ...session }))).toEqual({
      code: '23505',
      constraint: 'sessions_token_hash_unique',
    })
    const passkey = { credentialId: 'AAAA', publicKey: { kty: 'EC' }, algorithm: -7, name: 'Phone' }
    await db.insert(passkeys).values({ learnerId: learner.id, ...passkey })
    expect(await sqlstate(db.insert(passkeys).values({ learnerId: other.id, ...passkey }))).toEqual({
      code: '23505',
      constraint: 'passkeys_credential_id_unique',
    })
  })

  it('passkeys with a supported algorithm and a 32-bit counter only', async () => {
    const learner = await insertLearner(db)
    const passkey = { learnerId: learner.id, publicKey: { kty: 'EC' }, name: 'Phone' }
    expect(
      await sqlstate(db.insert(passkeys).values({ ...passkey, credentialId: 'B', algorithm: -8 })),
    ).toEqual({ code: '23514', constraint: 'passkeys_algorithm_supported' })
    expect(
      await sqlstate(
        db.insert(passkeys).values({ ...passkey, credentialId: 'C', algorithm: -7, signCount: 2 ** 32 }),
      ),
    ).toEqual({ code: '23514', constraint: 'passkeys_sign_count_u32' })
  })
})

describe('foreign keys', () => {
  it('refuse a unit of a skill that does not exist', async () => {
    expect((await sqlstate(insertUnit(db, crypto.randomUUID()))).code).toBe('23503')
  })
})

describe('enums', () => {
  it('reject unknown activity types, attempt statuses and skill state statuses', async () => {
    const { skill, unit, activity } = await insertCatalogue(db)
    const learner = await insertLearner(db)
    expect((await sqlstate(insertActivity(db, unit.id, { type: 'exam' as never }))).code).toBe('22P02')
    expect(
      (await sqlstate(insertAttempt(db, learner.id, activity.id, { status: 'paused' as never }))).code,
    ).toBe('22P02')
    const badState = db
      .insert(skillStates)
      .values({ learnerId: learner.id, skillId: skill.id, status: 'done' as never })
    expect((await sqlstate(badState)).code).toBe('22P02')
  })
})

describe('CHECK constraints', () => {
  it('keep progress and mastery within [0, 1]', async () => {
    const skill = await insertSkill(db)
    const learner = await insertLearner(db)
    const state = (values: { progress?: number; masteryScore?: number }) =>
      db.insert(skillStates).values({ learnerId: learner.id, skillId: skill.id, ...values })
    expect(await sqlstate(state({ progress: 1.01 }))).toMatchObject({
      constraint: 'skill_states_progress_ratio',
    })
    expect(await sqlstate(state({ progress: -0.1 }))).toMatchObject({
      constraint: 'skill_states_progress_ratio',
    })
    expect(await sqlstate(state({ masteryScore: 2 }))).toMatchObject({
      constraint: 'skill_states_mastery_ratio',
    })
    await state({ progress: 1, masteryScore: 0 })
  })

  it('keep 0 ≤ score ≤ max_score', async () => {
    const { activity } = await insertCatalogue(db)
    const learner = await insertLearner(db)
    const attempt = (score: number, maxScore: number) =>
      insertAttempt(db, learner.id, activity.id, { score, maxScore })
    expect(await sqlstate(attempt(4, 3))).toEqual({ code: '23514', constraint: 'attempts_score_within_max' })
    expect(await sqlstate(attempt(-1, 3))).toEqual({ code: '23514', constraint: 'attempts_score_within_max' })
    expect(await attempt(3, 3)).toMatchObject({ score: 3, maxScore: 3 })
  })

  it('require a completed attempt to have completed_at, a score and whether it passed', async () => {
    const { activity } = await insertCatalogue(db)
    const learner = await insertLearner(db)
    const graded = { status: 'completed', score: 1, maxScore: 1 } as const
    const undated = insertAttempt(db, learner.id, activity.id, { ...graded, passed: true })
    expect(await sqlstate(undated)).toMatchObject({ constraint: 'attempts_completed_is_graded' })
    const completedAt = new Date(Date.now() + 1000)
    const undecided = insertAttempt(db, learner.id, activity.id, { ...graded, completedAt })
    expect(await sqlstate(undecided)).toMatchObject({ constraint: 'attempts_completed_is_graded' })
    const completed = await insertAttempt(db, learner.id, activity.id, {
      ...graded,
      completedAt,
      passed: true,
    })
    expect(completed.status).toBe('completed')
  })

  it('refuse a skill level below 1', async () => {
    expect(await sqlstate(insertSkill(db, { level: 0 }))).toMatchObject({
      constraint: 'skills_level_positive',
    })
  })
})

describe('updated_at', () => {
  it('moves forward on every update, even from raw SQL', async () => {
    const skill = await insertSkill(db)
    await db.execute(sql`SELECT pg_sleep(0.01)`)
    await db.execute(sql`UPDATE skills SET name = 'Renamed' WHERE id = ${skill.id}`)
    const [after] = await db.select().from(skills).where(eq(skills.id, skill.id))
    expect(after?.updatedAt.getTime()).toBeGreaterThan(skill.updatedAt.getTime())
    expect(after?.createdAt).toEqual(skill.createdAt)
  })
})

describe('relations', () => {
  it('load a skill tree through the relational query API in one round trip', async () => {
    const { skill, unit, activity } = await insertCatalogue(db)
    const { result: tree, roundTrips } = await countRoundTrips(() =>
      db.query.skills.findFirst({
        where: eq(skills.id, skill.id),
        with: { units: { with: { activities: true } } },
      }),
    )
    expect(roundTrips).toBe(1)
    expect(tree?.units[0]?.id).toBe(unit.id)
    expect(tree?.units[0]?.activities[0]?.id).toBe(activity.id)
  })
})
