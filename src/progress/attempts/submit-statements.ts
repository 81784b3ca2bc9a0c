/**
 * The statements of a submit (submit.ts): what it reads (in its first round trip, or from a start's
 * token and the guard that checks it), what it writes, and the snapshot a replay of it answers with.
 */
import { and, eq, getTableColumns, type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import { activityPublished } from '../../catalogue/publication.ts'
import type { Bindings } from '../../content/bindings.ts'
import type { Db } from '../../db/client.ts'
import { insertWhere } from '../../db/insert-where.ts'
import {
  activities,
  activityVersions,
  attempts,
  skillCatalogueVersions,
  skillStates,
  skills,
  units,
} from '../../db/schema.ts'
import type { AnswerValue } from '../../grading/grade.ts'
import { addScores, scoreTargets } from '../../lti/grade-outbox.ts'
import type { Decision } from '../../mastery/decide.ts'
import { creditHistory, learnerCompleted, ownAttempt, versionOf } from '../queries.ts'
import type { WriteContext } from '../write/learner-write.ts'
import type { SubmitTokenClaims } from './submit-token.ts'

/** The skill of an attempt, as a subquery for statements of the same batch. */
const skillOfAttempt = (attemptId: string) => sql`(
  SELECT u.skill_id FROM ${attempts} t JOIN ${activities} a ON a.id = t.activity_id JOIN ${units} u ON u.id = a.unit_id
  WHERE t.id = ${attemptId})`

/** The skill of an activity, as a subquery. */
const skillOfActivity = (activityId: string) => sql`(
  SELECT u.skill_id FROM ${activities} a JOIN ${units} u ON u.id = a.unit_id WHERE a.id = ${activityId})`

/** A skill's catalogue version (drizzle/0016): 0 for a skill that has none (it does not exist). */
const catalogueVersionOf = (skillId: SQLWrapper) =>
  sql<number>`coalesce((SELECT ${skillCatalogueVersions.version} FROM ${skillCatalogueVersions}
    WHERE ${skillCatalogueVersions.skillId} = ${skillId}), 0)`

/**
 * The learner's state on a skill, and each of the skill's activities with what the learner did on
 * it. Statements after the one that reads the catalogue version: under READ COMMITTED each statement
 * sees its own snapshot, so the structure read here is at that version or newer, never older — a
 * structure cached under that version is at worst newer, and its version guard then fails.
 */
function learnerOnSkill(db: Db, learnerId: SQL, skillId: SQL, when: SQL) {
  return {
    state: db
      .select()
      .from(skillStates)
      .where(and(eq(skillStates.learnerId, learnerId), eq(skillStates.skillId, skillId), when)),
    activities: db
      .select({
        id: activities.id,
        unitId: activities.unitId,
        type: activities.type,
        published: sql<boolean>`${activityPublished}`,
        completed: learnerCompleted(learnerId, false),
        passed: learnerCompleted(learnerId, true),
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .where(and(eq(units.skillId, skillId), when))
      .orderBy(units.order, units.id, activities.order, activities.id),
  }
}

/**
 * What grading and the mastery model need, for one round trip with the learner lookup; `when`
 * conditions every statement (a guarded write reads them only when its guard failed).
 */
export function snapshotQueries(db: Db, learnerId: SQL, attemptId: string, when: SQL = sql`true`) {
  return {
    target: db
      .select({
        status: attempts.status,
        activityId: attempts.activityId,
        contentVersion: attempts.contentVersion,
        type: activities.type,
        questions: attempts.questions,
        content: activityVersions.content,
        skillId: units.skillId,
        skillMetadata: skills.metadata,
        catalogueVersion: catalogueVersionOf(units.skillId),
        seed: attempts.seed,
        ordinal: attempts.ordinal,
        history: creditHistory(learnerId, attempts.activityId),
      })
      .from(attempts)
      .innerJoin(activities, eq(activities.id, attempts.activityId))
      .innerJoin(activityVersions, versionOf(attempts))
      .innerJoin(units, eq(units.id, activities.unitId))
      .innerJoin(skills, eq(skills.id, units.skillId))
      .where(and(ownAttempt(learnerId, attemptId), when)),
    ...learnerOnSkill(db, learnerId, skillOfAttempt(attemptId), when),
  }
}

/**
 * What a start reads for the submit token (submit-token.ts), about the activity's skill; read after
 * the attempt is created, so the attempt in progress is the one the token names.
 */
export function tokenQueries(db: Db, learnerId: SQL, activityId: string) {
  return {
    context: db
      .select({
        skillId: units.skillId,
        skillMetadata: skills.metadata,
        catalogueVersion: catalogueVersionOf(units.skillId),
        history: creditHistory(learnerId, activityId),
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .innerJoin(skills, eq(skills.id, units.skillId))
      .where(eq(activities.id, activityId)),
    ...learnerOnSkill(db, learnerId, skillOfActivity(activityId), sql`true`),
  }
}

/**
 * The guard of a submit that decided from a token: everything the token says is still so — the
 * learner, the attempt in progress on its content version, the skill's catalogue version and the
 * learner's state version on it (which every completed attempt of theirs on the skill moves, so
 * what they completed and were shown cannot have changed either).
 */
export const tokenStillCurrent = (learnerId: SQL, token: SubmitTokenClaims) => sql`(
  ${learnerId} = ${token.learnerId}::uuid
  AND EXISTS (SELECT 1 FROM ${attempts} WHERE ${and(
    ownAttempt(learnerId, token.attemptId),
    eq(attempts.activityId, token.activityId),
    eq(attempts.status, 'in_progress'),
    eq(attempts.contentVersion, token.contentVersion),
  )})
  AND ${catalogueVersionOf(sql`${token.skillId}::uuid`)} = ${token.catalogueVersion}
  AND coalesce((SELECT ${skillStates.version} FROM ${skillStates}
    WHERE ${skillStates.learnerId} = ${learnerId} AND ${skillStates.skillId} = ${token.skillId}), 0) = ${token.stateVersion})`

export type Place = { learnerId: string; skillId: string; activityId: string; attemptId: string }

/** What a submit stores of the learner's: their answers, and the instances they answered. */
export type Submitted = { answers: Record<string, AnswerValue>; bindings: Bindings }

/**
 * Completes the attempt and stores the decided state, asserting that the state is still the version
 * read and that the attempt was still in progress.
 */
export function completeAttempt(
  w: WriteContext,
  place: Place,
  submitted: Submitted,
  decision: Decision,
  versionRead: number,
) {
  const { completed, saved, scores } = completion(w, place, submitted, decision, sql`true`)
  const thisState = and(eq(skillStates.learnerId, place.learnerId), eq(skillStates.skillId, place.skillId))
  return {
    unchanged: w.assert(
      sql`coalesce((SELECT ${skillStates.version} FROM ${skillStates} WHERE ${thisState}), 0) = ${versionRead}`,
      'skill_state_unchanged',
    ),
    completed,
    inProgress: w.assert(w.happened, 'attempt_in_progress'),
    saved,
    scores,
  }
}

/**
 * The writes of a submit, each only `when` it holds: the attempt completed, the state stored, and the
 * scores of the learner's LTI grade links it changed (the grade outbox, lti/grade-outbox.ts).
 */
export function completion(
  { db, done }: WriteContext,
  place: Place,
  { answers, bindings }: Submitted,
  decision: Decision,
  when: SQL,
) {
  const { learnerId, skillId, attemptId } = place
  const { at, grade, state } = decision
  return {
    completed: db
      .update(attempts)
      .set({
        status: 'completed',
        score: grade.score,
        maxScore: grade.maxScore,
        passed: grade.passed,
        response: { answers },
        bindings,
        feedback: grade.feedback,
        // The instant the credit window was judged at, so that a replay judges at the same one (never
        // before the start, whatever the Worker's and the database's clocks disagree by).
        completedAt: sql`greatest(${at.toISOString()}::timestamptz, ${attempts.startedAt})`,
      })
      .where(and(eq(attempts.id, attemptId), eq(attempts.status, 'in_progress'), when))
      .returning({ ...getTableColumns(attempts), done }),
    saved: insertWhere(db, skillStates, { learnerId, skillId, ...state, version: 1 }, when)
      .onConflictDoUpdate({
        target: [skillStates.learnerId, skillStates.skillId],
        set: { ...state, version: sql`${skillStates.version} + 1` },
        where: when,
      })
      .returning(),
    scores: addScores(db, learnerId, scoreTargets(place, decision), at, when),
  }
}

/** What a replay of this submit answers: the rows as committed, and the decision's outcome. */
export const submitSnapshot = (
  { learnerId, skillId, attemptId }: Place,
  { grade, rating, knowledge }: Decision,
  pInit: number,
) => sql`jsonb_build_object(
  'pInit', ${pInit}::float8,
  'attempt', (SELECT to_jsonb(t) FROM ${attempts} t WHERE t.id = ${attemptId}),
  'skillState', (SELECT to_jsonb(s) FROM ${skillStates} s WHERE s.learner_id = ${learnerId} AND s.skill_id = ${skillId}),
  'passed', ${grade.passed}::boolean,
  'review', ${rating}::text,
  'knowledge', ${JSON.stringify(knowledge)}::jsonb)`
