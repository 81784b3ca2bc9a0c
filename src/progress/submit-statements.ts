/**
 * The statements of a submit (submit.ts): what its first round trip reads, what its second writes,
 * and the snapshot a replay of it answers with.
 */
import { and, eq, getTableColumns, type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import { activityPublished } from '../catalogue/publication.ts'
import type { Db } from '../db/client.ts'
import { activities, activityVersions, attempts, skillStates, skills, units } from '../db/schema.ts'
import type { AnswerValue } from '../grading/grade.ts'
import type { Decision } from '../mastery/decide.ts'
import type { WriteContext } from './learner-write.ts'
import { learnerCompleted, ownAttempt, versionOf } from './queries.ts'

/** The skill of an attempt, as a subquery for statements of the same batch. */
const skillOfAttempt = (attemptId: string) => sql`(
  SELECT u.skill_id FROM ${attempts} t JOIN ${activities} a ON a.id = t.activity_id JOIN ${units} u ON u.id = a.unit_id
  WHERE t.id = ${attemptId})`

/**
 * Questions of an activity whose expected answer this learner was shown, read from the `revealed`
 * flags stored with the feedback of their completed attempts (never from today's review policy).
 */
const shownQuestions = (learnerId: SQL, activityId: SQLWrapper | string) =>
  sql<string[]>`coalesce((
    SELECT jsonb_agg(DISTINCT f->>'questionId')
    FROM ${attempts} t CROSS JOIN LATERAL jsonb_array_elements(t.feedback) f
    WHERE t.learner_id = ${learnerId} AND t.activity_id = ${activityId} AND t.status = 'completed'
      AND (f->>'revealed')::boolean), '[]'::jsonb)`

/** What grading and the mastery model need, for one round trip with the learner lookup. */
export function snapshotQueries(db: Db, learnerId: SQL, attemptId: string) {
  return {
    target: db
      .select({
        status: attempts.status,
        activityId: attempts.activityId,
        type: activities.type,
        questions: attempts.questions,
        content: activityVersions.content,
        skillId: units.skillId,
        skillMetadata: skills.metadata,
        shown: shownQuestions(learnerId, attempts.activityId),
      })
      .from(attempts)
      .innerJoin(activities, eq(activities.id, attempts.activityId))
      .innerJoin(activityVersions, versionOf(attempts))
      .innerJoin(units, eq(units.id, activities.unitId))
      .innerJoin(skills, eq(skills.id, units.skillId))
      .where(ownAttempt(learnerId, attemptId)),
    state: db
      .select()
      .from(skillStates)
      .where(and(eq(skillStates.learnerId, learnerId), eq(skillStates.skillId, skillOfAttempt(attemptId)))),
    activities: db
      .select({
        id: activities.id,
        unitId: activities.unitId,
        published: sql<boolean>`${activityPublished}`,
        completed: learnerCompleted(learnerId, false),
        passed: learnerCompleted(learnerId, true),
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .where(eq(units.skillId, skillOfAttempt(attemptId)))
      .orderBy(units.order, units.id, activities.order, activities.id),
  }
}

export type Place = { learnerId: string; skillId: string; attemptId: string }

/**
 * Completes the attempt and stores the decided state, asserting that the state is still the version
 * read and that the attempt was still in progress.
 */
export function completeAttempt(
  { db, done, happened, assert }: WriteContext,
  { learnerId, skillId, attemptId }: Place,
  answers: Record<string, AnswerValue>,
  { grade, state }: Decision,
  versionRead: number,
) {
  const thisState = and(eq(skillStates.learnerId, learnerId), eq(skillStates.skillId, skillId))
  return {
    unchanged: assert(
      sql`coalesce((SELECT ${skillStates.version} FROM ${skillStates} WHERE ${thisState}), 0) = ${versionRead}`,
      'skill_state_unchanged',
    ),
    completed: db
      .update(attempts)
      .set({
        status: 'completed',
        score: grade.score,
        maxScore: grade.maxScore,
        passed: grade.passed,
        response: { answers },
        feedback: grade.feedback,
        completedAt: sql`now()`,
      })
      .where(and(eq(attempts.id, attemptId), eq(attempts.status, 'in_progress')))
      .returning({ ...getTableColumns(attempts), done }),
    inProgress: assert(happened, 'attempt_in_progress'),
    saved: db
      .insert(skillStates)
      .values({ learnerId, skillId, ...state, version: 1 })
      .onConflictDoUpdate({
        target: [skillStates.learnerId, skillStates.skillId],
        set: { ...state, version: sql`${skillStates.version} + 1` },
      })
      .returning(),
  }
}

/** What a replay of this submit answers: the rows as committed, and the decision's outcome. */
export const submitSnapshot = (
  { learnerId, skillId, attemptId }: Place,
  { grade, review, knowledge }: Decision,
  pInit: number,
) => sql`jsonb_build_object(
  'pInit', ${pInit}::float8,
  'attempt', (SELECT to_jsonb(t) FROM ${attempts} t WHERE t.id = ${attemptId}),
  'skillState', (SELECT to_jsonb(s) FROM ${skillStates} s WHERE s.learner_id = ${learnerId} AND s.skill_id = ${skillId}),
  'passed', ${grade.passed}::boolean,
  'review', ${review}::text,
  'knowledge', ${JSON.stringify(knowledge)}::jsonb)`
