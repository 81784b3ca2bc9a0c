/**
 * A learner's completed attempts as the mastery model replays them (mastery/replay.ts): each with
 * the content version it was graded against, its own questions, its activity's review policy, its
 * answers and what it showed. Read by merges (progress/merge/merge.ts) and by the data migration that
 * brings stored states to a new model (scripts/lib/data-migrations.ts).
 */
import { and, asc, eq, type SQL, sql } from 'drizzle-orm'
import { activityPublished } from '../../catalogue/publication.ts'
import { feedbackPolicy } from '../../content/feedback-policy.ts'
import { activityContent } from '../../content/schema.ts'
import type { Db } from '../../db/client.ts'
import { activities, activityVersions, attempts, skills, units } from '../../db/schema.ts'
import type { AnswerValue } from '../../grading/grade.ts'
import { bktParameters } from '../../mastery/bkt.ts'
import type { CompletedAttempt, ReplayedSkill } from '../../mastery/replay.ts'
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
    const content = activityContent.parse(row.content)
    return [
      {
        id: row.id,
        activityId: row.activityId,
        content,
        questions: row.questions.map((question) => question.id),
        feedbackPolicy: feedbackPolicy(row.type, content),
        answers: answersOf(row.response),
        completedAt: row.completedAt,
        revealed: revealedBy(row.feedback),
      },
    ]
  })
}
