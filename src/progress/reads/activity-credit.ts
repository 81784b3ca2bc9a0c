/**
 * What counts toward mastery on an activity's next attempt, for this learner (mastery/credit.ts):
 * each question, and when it counts again if not now. One round trip: the activity's content, the
 * learner's credit history on it, and the seed and ordinal the next attempt would draw with.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import { activityPublished, inPublishedSkill } from '../../catalogue/publication.ts'
import { drawBinding } from '../../content/bindings.ts'
import { isParameterised } from '../../content/parameterised.ts'
import { activityContent, type Question } from '../../content/schema.ts'
import { activities, units } from '../../db/schema.ts'
import { type CreditHistory, creditOutlook, creditWindowHours } from '../../mastery/credit.ts'
import { readLearner } from '../../session/learner.ts'
import type { LearnerScope } from '../../types.ts'
import { creditHistory, nextDraw } from '../queries.ts'

type QuestionCredit = {
  id: string
  /** A parameterised question whose next instance is new: it counts whatever came before. */
  renews: boolean
  /** Milliseconds since the epoch; null when it counts now. */
  countsAgainAt: number | null
  /** It will never count again. */
  retired: boolean
}

export type ActivityCredit = {
  questions: QuestionCredit[]
  /** How many questions an attempt draws (null: all of them). */
  draw: number | null
  windowHours: number | null
}

/** Null when there is no such published activity. */
export async function activityCredit(
  scope: LearnerScope,
  activityId: string,
): Promise<ActivityCredit | null> {
  const { found } = await readLearner(scope, (db, learnerId: SQL) => ({
    found: db
      .select({
        type: activities.type,
        content: activities.content,
        history: creditHistory(learnerId, activities.id),
        // The next attempt's seed and ordinal, from one evaluation of the draw.
        next: sql<{
          seed: number | null
          ordinal: number
        }>`(SELECT jsonb_build_object('seed', d.seed, 'ordinal', d.ordinal)
          FROM (${nextDraw(learnerId, activityId, null)}) d)`,
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .where(and(eq(activities.id, activityId), activityPublished, inPublishedSkill(units.skillId))),
  }))
  const [row] = found
  if (!row) return null
  const content = activityContent.parse(row.content)
  const windowHours = creditWindowHours(row.type, content.review)
  return {
    questions: content.questions.map((question) =>
      questionCredit(question, { history: row.history, ...row.next }, windowHours),
    ),
    draw: content.draw ?? null,
    windowHours,
  }
}

function questionCredit(
  question: Question,
  next: { history: CreditHistory; seed: number | null; ordinal: number },
  windowHours: number | null,
): QuestionCredit {
  // Never drawn yet (no seed), or drawn in its first cycle: a new instance.
  const renews =
    isParameterised(question) &&
    (next.seed === null || (drawBinding(question, next.seed, next.ordinal)?.cycle ?? 0) === 0)
  return {
    id: question.id,
    renews,
    ...(renews
      ? { countsAgainAt: null, retired: false }
      : creditOutlook(next.history[question.id], windowHours)),
  }
}
