/**
 * A learner's completed attempts as the mastery model replays them (mastery/replay.ts): each with
 * the content version it was graded against, its own questions, its activity's review policy, its
 * answers and what it showed. Read by merges (progress/merge/merge.ts) and by the data migration that
 * brings stored states to a new model (scripts/lib/data-migrations.ts).
 */
import { and, asc, eq, type SQL, sql } from 'drizzle-orm'
import { activityPublished } from '../../catalogue/publication.ts'
import { type Bindings, instantiate } from '../../content/bindings.ts'
import { feedbackPolicy } from '../../content/feedback-policy.ts'
import { activityContent } from '../../content/schema.ts'
import type { Db } from '../../db/client.ts'
import { activities, activityVersions, attempts, skills, units } from '../../db/schema.ts'
import type { AnswerValue } from '../../grading/grade.ts'
import { bktParameters } from '../../mastery/bkt.ts'
import { creditWindowHours } from '../../mastery/credit.ts'
import type { CompletedAttempt, Replayed, ReplayedSkill } from '../../mastery/replay.ts'
import { versionOf } from '../queries.ts'

/** Completed attempts matching `where` (over attempts and units), with what a replay needs. */
export const completedHistory = (db: Db, where: SQL | undefined) =>
  db
    .select({
      id: attempts.id,
      learnerId: attempts.learnerId,
      activityId: attempts.activityId,
      type: activities.type,
      content: activityVersions.content,
      questions: attempts.questions,
      bindings: attempts.bindings,
      response: attempts.response,
      feedback: attempts.feedback,
      completedAt: attempts.completedAt,
      skillId: units.skillId,
    })
    .from(attempts)
    .innerJoin(activities, eq(activities.id, attempts.activityId))
    .innerJoin(activityVersions, versionOf(attempts))
    .innerJoin(units, eq(units.id, activities.unitId))
    .where(and(eq(attempts.status, 'completed'), where))

type HistoryRow = Awaited<ReturnType<typeof completedHistory>>[number]

/** The activities of the skills matching `where` (over units), in the model's order, with each skill's metadata. */
export const skillActivities = (db: Db, where: SQL) =>
  db
    .select({
      id: activities.id,
      unitId: activities.unitId,
      published: sql<boolean>`${activityPublished}`,
      skillId: units.skillId,
      metadata: skills.metadata,
    })
    .from(activities)
    .innerJoin(units, eq(units.id, activities.unitId))
    .innerJoin(skills, eq(skills.id, units.skillId))
    .where(where)
    .orderBy(asc(units.order), asc(units.id), asc(activities.order), asc(activities.id))

type SkillActivityRow = Awaited<ReturnType<typeof skillActivities>>[number]

/** One skill as a replay needs it (mastery/replay.ts), from the rows of `skillActivities`. */
export function replayedSkill(rows: SkillActivityRow[], skillId: string): ReplayedSkill {
  const ofSkill = rows.filter((row) => row.skillId === skillId)
  return {
    parameters: bktParameters(ofSkill[0]?.metadata),
    activities: ofSkill.map((row) => ({ id: row.id, unitId: row.unitId, published: row.published })),
  }
}

const answersOf = (response: unknown) =>
  ((response as { answers?: unknown } | null)?.answers ?? {}) as Record<string, AnswerValue>

/** The questions an attempt showed the answers of, from its stored feedback. */
const revealedBy = (feedback: unknown) =>
  ((feedback ?? []) as { questionId: string; revealed?: boolean }[])
    .filter((f) => f.revealed)
    .map((f) => f.questionId)

/** The completed attempts of `skillId` among `rows` (of `learnerIds`, when given), as the model replays them. */
export function replayable(
  rows: HistoryRow[],
  skillId: string,
  learnerIds?: readonly string[],
): CompletedAttempt[] {
  return rows.flatMap((row) => {
    if (row.skillId !== skillId || !row.completedAt) return []
    if (learnerIds && !learnerIds.includes(row.learnerId)) return []
    const authored = activityContent.parse(row.content)
    // The instances it answered, from its stored bindings: never drawn again.
    const bindings = (row.bindings ?? {}) as Bindings
    return [
      {
        id: row.id,
        activityId: row.activityId,
        content: instantiate(authored, row.questions, bindings).content,
        questions: row.questions.map((question) => question.id),
        bindings,
        feedbackPolicy: feedbackPolicy(row.type, authored),
        creditWindowHours: creditWindowHours(row.type, authored.review),
        answers: answersOf(row.response),
        completedAt: row.completedAt,
        revealed: revealedBy(row.feedback),
      },
    ]
  })
}

/**
 * Rewrites the credit of replayed attempts' stored feedback to what the replay decided, so that
 * stored flags and replayed states always agree (a merge, a data migration).
 */
export function creditRewrite(db: Db, credit: Replayed['credit']) {
  const rows = [...credit].map(([id, questions]) => ({
    id,
    credit: Object.fromEntries(questions.map(({ questionId, ...flags }) => [questionId, flags])),
  }))
  return db.execute(sql`
    UPDATE ${attempts} t SET feedback = (
      SELECT jsonb_agg(f || coalesce(x.credit->(f->>'questionId'), '{}'::jsonb) ORDER BY n)
      FROM jsonb_array_elements(t.feedback) WITH ORDINALITY AS q(f, n))
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, credit jsonb)
    WHERE t.id = x.id`)
}
