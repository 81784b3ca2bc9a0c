/** Small factories: each test inserts what it needs, with overridable defaults (published, as learners see it). */
import type { ActivityContentInput } from '../src/content/schema.ts'
import { activityContent } from '../src/content/schema.ts'
import type { Db } from '../src/db/client.ts'
import { activities, attempts, learners, type NewActivity, skills, units } from '../src/db/schema.ts'

const one = <T>(rows: T[]) => rows[0] as T

export const sampleContent: ActivityContentInput = {
  questions: [
    { id: 'q1', kind: 'numeric', prompt: '1 + 1?', answer: 2 },
    {
      id: 'q2',
      kind: 'single_choice',
      prompt: 'Pick b',
      choices: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
      ],
      answer: 'b',
    },
  ],
}

export async function insertSkill(db: Db, overrides: Partial<typeof skills.$inferInsert> = {}) {
  return one(
    await db
      .insert(skills)
      .values({ name: 'Skill', publishedAt: new Date(), ...overrides })
      .returning(),
  )
}

export async function insertUnit(
  db: Db,
  skillId: string,
  overrides: Partial<typeof units.$inferInsert> = {},
) {
  return one(
    await db
      .insert(units)
      .values({ name: 'Unit', skillId, ...overrides })
      .returning(),
  )
}

export async function insertActivity(db: Db, unitId: string, overrides: Partial<NewActivity> = {}) {
  return one(
    await db
      .insert(activities)
      .values({
        name: 'Activity',
        unitId,
        content: activityContent.parse(sampleContent),
        publishedAt: new Date(),
        ...overrides,
      })
      .returning(),
  )
}

/** A skill with one unit and one activity. */
export async function insertCatalogue(db: Db) {
  const skill = await insertSkill(db)
  const unit = await insertUnit(db, skill.id)
  const activity = await insertActivity(db, unit.id)
  return { skill, unit, activity }
}

/** A learner with no session (tests that need a cookie create learners through POST /v1/session). */
export async function insertLearner(db: Db, overrides: Partial<typeof learners.$inferInsert> = {}) {
  return one(await db.insert(learners).values(overrides).returning())
}

export async function insertAttempt(
  db: Db,
  learnerId: string,
  activityId: string,
  overrides: Partial<typeof attempts.$inferInsert> = {},
) {
  return one(
    await db
      .insert(attempts)
      .values({ learnerId, activityId, ...overrides })
      .returning(),
  )
}
