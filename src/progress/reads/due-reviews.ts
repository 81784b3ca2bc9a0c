/** Review scheduling in SQL: what is due, for the cron and for the learner's review list. */
import { and, asc, eq, lte, or, type SQL, sql } from 'drizzle-orm'
import { skillPublished } from '../../catalogue/publication.ts'
import type { Db } from '../../db/client.ts'
import { type ActivityType, activities, attempts, skillStates, skills, units } from '../../db/schema.ts'
import { skillUnitIds } from '../queries.ts'

/** Activities suggested per due skill: those this learner attempted longest ago (never first). */
export const SUGGESTIONS_PER_SKILL = 3

/**
 * The cron's one statement: every mastered state whose review is due at `at` becomes review_needed.
 * It scans the partial index skill_states_mastered_due_idx (status = 'mastered', ordered by due).
 * The version moves too, so a submit that read the old row retries with the new one.
 */
export function flipDueReviews(db: Db, at: Date) {
  return db.execute(sql`
    UPDATE ${skillStates} SET status = 'review_needed', version = version + 1
    WHERE status = 'mastered' AND due <= ${at.toISOString()}::timestamptz`)
}

type Suggestion = { id: string; name: string; type: ActivityType; lastAttemptedAt: string | null }

/** This learner's due skills, most overdue first, each with suggested activities (one statement). */
export function dueSkills(db: Db, learnerId: SQL) {
  const suggestions = sql<Suggestion[]>`(
    SELECT coalesce(json_agg(s), '[]'::json) FROM (
      SELECT a.id, a.name, a.type, max(t.started_at) AS "lastAttemptedAt"
      FROM ${activities} a
      JOIN ${units} u ON u.id = a.unit_id
      LEFT JOIN ${attempts} t ON t.activity_id = a.id AND t.learner_id = ${skillStates.learnerId}
      WHERE u.skill_id = ${skills.id} AND a.published_at IS NOT NULL
      GROUP BY a.id, a.name, a.type, a."order", u."order"
      ORDER BY max(t.started_at) ASC NULLS FIRST, u."order", a."order", a.id
      LIMIT ${SUGGESTIONS_PER_SKILL}
    ) s)`
  return db
    .select({ skill: skills, state: skillStates, suggestions, unitIds: skillUnitIds(skills.id) })
    .from(skillStates)
    .innerJoin(skills, eq(skills.id, skillStates.skillId))
    .where(
      and(
        eq(skillStates.learnerId, learnerId),
        skillPublished,
        or(
          eq(skillStates.status, 'review_needed'),
          and(eq(skillStates.status, 'mastered'), lte(skillStates.due, sql`now()`)),
        ),
      ),
    )
    .orderBy(asc(skillStates.due), asc(skills.id))
}
