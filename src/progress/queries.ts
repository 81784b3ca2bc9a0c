/**
 * Progress statements, written to run inside a learner's batch: `learnerId` is the subquery that
 * finds the learner by session in the same transaction, so each request stays one round trip.
 */
import { and, asc, count, eq, inArray, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import { activityPublished, skillPublished } from '../catalogue/publication.ts'
import type { Db } from '../db/client.ts'
import {
  activities,
  activityVersions,
  attempts,
  skillPrerequisites,
  skillStates,
  skills,
  units,
} from '../db/schema.ts'
import type { CreditHistory } from '../mastery/credit.ts'

/** The ratio of a completed attempt: its score over its maximum, the same division grading does. */
export const attemptRatio = sql`(${attempts.score}::float8 / nullif(${attempts.maxScore}, 0))`

/** The join condition of an attempt and the content version it is graded against. */
export const versionOf = (attempt: typeof attempts) =>
  and(
    eq(activityVersions.activityId, attempt.activityId),
    eq(activityVersions.version, attempt.contentVersion),
  )

/** One of this learner's attempts (another learner's is as good as absent: a 404). */
export const ownAttempt = (learnerId: SQL, attemptId: string) =>
  and(eq(attempts.id, attemptId), eq(attempts.learnerId, learnerId))

/**
 * Whether this learner completed the activity of the current `activities` row (and passed it, when
 * `passed`: as decided when it was graded), for statements that select from activities.
 */
export const learnerCompleted = (learnerId: SQL, passed: boolean) => sql<boolean>`EXISTS (
  SELECT 1 FROM ${attempts}
  WHERE ${attempts.activityId} = ${activities.id} AND ${attempts.learnerId} = ${learnerId}
    AND ${attempts.status} = 'completed' ${passed ? sql`AND ${attempts.passed}` : sql``})`

/**
 * The skill's units that have published activities, in order: what its mastery is read against
 * (src/mastery/knowledge.ts). A JSON array, for statements that select from skills.
 */
export const skillUnitIds = (skillId: SQLWrapper) =>
  sql<string[]>`(SELECT coalesce(jsonb_agg(u.id ORDER BY u."order", u.id), '[]'::jsonb) FROM ${units} u
    WHERE u.skill_id = ${skillId}
      AND EXISTS (SELECT 1 FROM ${activities} a WHERE a.unit_id = u.id AND a.published_at IS NOT NULL))`.mapWith(
    (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as string[],
  )

/**
 * Every published skill with this learner's state, if any (LEFT JOIN: no row means not started);
 * with `skillId`, that skill and the skills it requires (what its recommendation is read from).
 * A skill back in draft is hidden from its learners too; their state stays, in their export.
 */
export function mySkills(db: Db, learnerId: SQL, skillId?: string) {
  return db
    .select({ skill: skills, state: skillStates, unitIds: skillUnitIds(skills.id) })
    .from(skills)
    .leftJoin(skillStates, and(eq(skillStates.skillId, skills.id), eq(skillStates.learnerId, learnerId)))
    .where(
      and(
        skillPublished,
        skillId
          ? or(
              eq(skills.id, skillId),
              inArray(
                skills.id,
                db
                  .select({ id: skillPrerequisites.requiredSkillId })
                  .from(skillPrerequisites)
                  .where(eq(skillPrerequisites.skillId, skillId)),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(asc(skills.name), asc(skills.id))
}

/** Prerequisite edges: all of them, or those of one skill. */
export function prerequisiteEdges(db: Db, skillId?: string) {
  return db
    .select({ skillId: skillPrerequisites.skillId, requiredSkillId: skillPrerequisites.requiredSkillId })
    .from(skillPrerequisites)
    .where(skillId ? eq(skillPrerequisites.skillId, skillId) : undefined)
}

/** Per unit of a skill: how many published activities it has, and how many this learner completed and passed. */
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
    .leftJoin(activities, and(eq(activities.unitId, units.id), activityPublished))
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

/**
 * What this learner did with each question of an activity before (mastery/credit.ts
 * `QuestionHistory`), folded in SQL from the feedback stored with their completed attempts — the
 * same arithmetic as `recordSubmission`, which a replay folds with: last answered and shown times,
 * and the credited answers after the question was first seen and first shown. Times are whole
 * milliseconds, as a replay's dates are.
 */
export const creditHistory = (learnerId: SQL, activityId: SQLWrapper | string) =>
  sql<CreditHistory>`coalesce((
    SELECT jsonb_object_agg(q, jsonb_build_object('answeredAt', answered_at, 'revealedAt', revealed_at,
      'repeats', repeats, 'creditedSinceShown', since_shown, 'firstSeenAt', first_seen, 'firstShownAt', first_shown))
    FROM (
      SELECT q, max(at) FILTER (WHERE answered) AS answered_at, max(at) FILTER (WHERE revealed) AS revealed_at,
        count(*) FILTER (WHERE credited AND at > first_seen) AS repeats,
        count(*) FILTER (WHERE credited AND at > first_shown) AS since_shown,
        min(first_seen) AS first_seen, min(first_shown) AS first_shown
      FROM (
        SELECT e.*,
          min(at) FILTER (WHERE answered OR revealed) OVER (PARTITION BY q) AS first_seen,
          min(at) FILTER (WHERE revealed) OVER (PARTITION BY q) AS first_shown
        FROM (
          SELECT f->>'questionId' AS q, floor(extract(epoch FROM t.completed_at) * 1000)::float8 AS at,
            coalesce((f->>'answered')::boolean, false) AS answered,
            coalesce((f->>'revealed')::boolean, false) AS revealed,
            coalesce((f->>'credited')::boolean, false) AS credited
          FROM ${attempts} t CROSS JOIN LATERAL jsonb_array_elements(t.feedback) f
          WHERE t.learner_id = ${learnerId} AND t.activity_id = ${activityId} AND t.status = 'completed'
        ) e
      ) h GROUP BY q
    ) g), '{}'::jsonb)`

/**
 * What a new attempt of the learner on an activity draws from (content/bindings.ts): the seed
 * of their first attempt on it (else `seed`, or null when none is given), and the ordinal — their
 * completed attempts on it. Abandoning moves neither, so starting again draws the same instances;
 * completing moves the ordinal to new ones.
 */
export const nextDraw = (learnerId: SQL, activityId: SQLWrapper | string, seed: number | null) => sql`SELECT
  coalesce((SELECT ${attempts.seed} FROM ${attempts} WHERE ${attempts.learnerId} = ${learnerId}
    AND ${attempts.activityId} = ${activityId} AND ${attempts.seed} IS NOT NULL
    ORDER BY ${attempts.startedAt}, ${attempts.id} LIMIT 1), ${seed}::integer) AS seed,
  (SELECT count(*)::integer FROM ${attempts} WHERE ${attempts.learnerId} = ${learnerId}
    AND ${attempts.activityId} = ${activityId} AND ${attempts.status} = 'completed') AS ordinal`
