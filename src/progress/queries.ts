/**
 * Progress statements, written to run inside a learner's batch: `learnerId` is the subquery that
 * finds the learner by session in the same transaction, so each request stays one round trip.
 */
import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { activities, attempts, skillStates, skills, units } from '../db/schema.ts'

/** An activity's passing ratio; content is validated with its default before storage, the fallback is defensive. */
export const passingRatio = sql`coalesce((${activities.content}->>'passingScore')::float8, 0.7)`

/** The ratio of a completed attempt, compared as `score / maxScore >= passingScore`, the same division grading does. */
export const attemptRatio = sql`(${attempts.score}::float8 / nullif(${attempts.maxScore}, 0))`

/** One of this learner's attempts (another learner's is as good as absent: a 404). */
export const ownAttempt = (learnerId: SQL, attemptId: string) =>
  and(eq(attempts.id, attemptId), eq(attempts.learnerId, learnerId))

/**
 * Whether this learner completed the activity of the current `activities` row (at or above its
 * passing ratio when `passed`), for statements that select from activities.
 */
export const learnerCompleted = (learnerId: SQL, passed: boolean) => sql<boolean>`EXISTS (
  SELECT 1 FROM ${attempts}
  WHERE ${attempts.activityId} = ${activities.id} AND ${attempts.learnerId} = ${learnerId}
    AND ${attempts.status} = 'completed' ${passed ? sql`AND ${attemptRatio} >= ${passingRatio}` : sql``})`

/** Every skill with this learner's state, if any (LEFT JOIN: no row means not started). */
export function mySkills(db: Db, learnerId: SQL, skillId?: string) {
  return db
    .select({ skill: skills, state: skillStates })
    .from(skills)
    .leftJoin(skillStates, and(eq(skillStates.skillId, skills.id), eq(skillStates.learnerId, learnerId)))
    .where(skillId ? eq(skills.id, skillId) : undefined)
    .orderBy(asc(skills.name), asc(skills.id))
}

/** Per unit of a skill: how many activities it has, and how many this learner completed and passed. */
export function unitProgress(db: Db, learnerId: SQL, skillId: string) {
  return db
    .select({
      unitId: units.id,
      name: units.name,
      order: units.order,
      activityCount: count(activities.id),
      completedCount:
        sql<number>`count(${activities.id}) FILTER (WHERE ${learnerCompleted(learnerId, false)})`.mapWith(
          Number,
        ),
      passedCount:
        sql<number>`count(${activities.id}) FILTER (WHERE ${learnerCompleted(learnerId, true)})`.mapWith(
          Number,
        ),
    })
    .from(units)
    .leftJoin(activities, eq(activities.unitId, units.id))
    .where(eq(units.skillId, skillId))
    .groupBy(units.id)
    .orderBy(asc(units.order), asc(units.id))
}

/**
 * The cron's cleanup of attempts left open: in progress for longer than `hours` as of `at`, they
 * become abandoned, so starting the activity again begins afresh. Uses attempts_open_started_idx.
 */
export function abandonStaleAttempts(db: Db, at: Date, hours: number) {
  return db.execute(sql`
    UPDATE ${attempts} SET status = 'abandoned'
    WHERE status = 'in_progress' AND started_at <= ${at.toISOString()}::timestamptz - make_interval(hours => ${hours})`)
}
