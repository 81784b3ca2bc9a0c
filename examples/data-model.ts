import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../src/db/client.ts'
import { skillStates, skills, units } from '../src/db/schema.ts'

/** A skill with its units and their activities, in order: one relational query, one round trip. */
export function skillWithUnitsAndActivities(db: Db, skillId: string) {
  return db.query.skills.findFirst({
    where: eq(skills.id, skillId),
    with: {
      units: {
        orderBy: [asc(units.order), asc(units.id)],
        with: { activities: { orderBy: (activity, { asc }) => [asc(activity.order), asc(activity.id)] } },
      },
    },
  })
}

/**
 * A learner's state on a skill, created or updated in one statement: the unique constraint on
 * (learner_id, skill_id) turns a second insert into an update, and `version` moves on each write.
 */
export function upsertSkillState(
  db: Db,
  state: { learnerId: string; skillId: string; masteryScore: number; progress: number },
) {
  return db
    .insert(skillStates)
    .values({ ...state, status: 'in_progress', version: 1 })
    .onConflictDoUpdate({
      target: [skillStates.learnerId, skillStates.skillId],
      set: {
        masteryScore: state.masteryScore,
        progress: state.progress,
        version: sql`${skillStates.version} + 1`,
      },
    })
    .returning()
}
