/**
 * The one entry point to the mastery model: what a submitted attempt does, given everything read
 * about it. Pure — the snapshot, the answers and the time in, the grade, what the learner is shown
 * and the new state out — so a submit, a replay of stored attempts (merging two learners, migrating
 * states to a new model) or a test folds over it the same way, and nothing else calls the model's
 * parts (grading, review policy, BKT, FSRS, the status machine).
 *
 * Honest credit (credit.ts): a question this learner answered, or was shown the answer of, within its
 * window still counts toward the score and the pass, but it is not evidence of knowledge, so it is
 * not a BKT observation; a new instance of a parameterised question always is.
 */

import type { Bindings } from '../content/bindings.ts'
import { type FeedbackPolicy, reveals } from '../content/feedback-policy.ts'
import type { ActivityContent } from '../content/schema.ts'
import { type AnswerValue, type GradedQuestion, type GradeResult, grade } from '../grading/grade.ts'
import { type BktParameters, observationsFor } from './bkt.ts'
import { type CreditHistory, creditOutlook, credits, recordSubmission } from './credit.ts'
import { type RatingName, ratingName } from './fsrs.ts'
import { nextSkillState, type SkillActivity, unitsOf } from './next-state.ts'
import type { MasteryState } from './state.ts'

/** What a submit reads before it decides. */
export type SubmitSnapshot = {
  activityId: string
  /** The content of the attempt's version with its instances in place (content/bindings.ts), answer keys included. */
  content: ActivityContent
  /** The attempt's questions, as drawn and ordered at its start. */
  questions: readonly string[]
  /** What its parameterised questions were bound to: a new instance (cycle 0) is always credited. */
  bindings: Bindings
  /** What the learner is shown after the submit (content/feedback-policy.ts). */
  feedbackPolicy: FeedbackPolicy
  /** What this learner did with each question of the activity before, and its credit window (credit.ts). */
  history: CreditHistory
  creditWindowHours: number | null
  /** The skill's BKT parameters. */
  parameters: BktParameters
  /** The learner's state on the skill; null before their first submission on it. */
  state: MasteryState | null
  /** Every activity of the skill, with what this learner had done on it before this attempt. */
  activities: SkillActivity[]
}

/** A graded question with what the learner is shown of it, and whether it counted for mastery. */
export type QuestionOutcome = GradedQuestion & {
  /** The expected answer and the explanation are shown. */
  revealed: boolean
  /** Whether it was right is shown. */
  marked: boolean
  /** It was a BKT observation (credit.ts). */
  credited: boolean
  /** When it counts toward mastery again: null when the next attempt's will (a new instance, or no window). */
  countsAgainAt: string | null
  /** It will never count again: its answer was shown, and it has counted as often as it may since. */
  retired: boolean
}

export type Decision = {
  /** When it was decided: the attempt's completion time, which a replay decides at again. */
  at: Date
  grade: Omit<GradeResult, 'feedback'> & { feedback: QuestionOutcome[] }
  /** The skill state to store. */
  state: MasteryState
  /** The FSRS rating when this submission reviewed a mastered skill (or first mastered it). */
  rating: RatingName | null
  /** Each unit of the skill (with activities), its P(L) before and after this submission. */
  knowledge: { unitId: string; before: number; after: number }[]
}

export function decide(snapshot: SubmitSnapshot, answers: Record<string, AnswerValue>, now: Date): Decision {
  const { content, parameters, feedbackPolicy: policy, creditWindowHours: window } = snapshot
  const result = grade(content, snapshot.questions, answers)
  const isNewInstance = (questionId: string) => snapshot.bindings[questionId]?.cycle === 0
  const judged = result.feedback.map((question) => ({
    ...question,
    revealed: reveals(policy, question.answered, result.passed),
    marked: policy.correctness,
    credited:
      isNewInstance(question.questionId) ||
      credits(snapshot.history[question.questionId], window, now.getTime()),
  }))
  const after = recordSubmission(snapshot.history, judged, now.getTime())
  const feedback = judged.map((question): QuestionOutcome => {
    // A new instance next time counts whatever came before.
    const outlook = isNewInstance(question.questionId)
      ? { countsAgainAt: null, retired: false }
      : creditOutlook(after[question.questionId], window)
    return {
      ...question,
      countsAgainAt: outlook.countsAgainAt === null ? null : new Date(outlook.countsAgainAt).toISOString(),
      retired: outlook.retired,
    }
  })
  const byId = new Map(content.questions.map((q) => [q.id, q]))
  const credited = feedback.filter((f) => f.credited)
  const creditedPoints = credited.reduce((sum, f) => sum + f.points, 0)
  const { rating, ...state } = nextSkillState({
    previous: snapshot.state ?? undefined,
    parameters,
    observations: observationsFor(
      credited.flatMap((f) => byId.get(f.questionId) ?? []),
      credited.map((f) => f.correct),
      parameters,
    ),
    activityId: snapshot.activityId,
    ratio: result.ratio,
    creditedRatio:
      creditedPoints === 0 ? null : credited.reduce((sum, f) => sum + f.pointsAwarded, 0) / creditedPoints,
    passingScore: content.passingScore,
    passed: result.passed,
    activities: snapshot.activities,
    now,
  })
  const unitKnowledgeOf = (of: MasteryState | null, unitId: string) =>
    of?.unitKnowledge[unitId] ?? parameters.pInit
  return {
    at: now,
    grade: { ...result, feedback },
    state,
    rating: rating === null ? null : ratingName(rating),
    knowledge: unitsOf(snapshot.activities).map((unitId) => ({
      unitId,
      before: unitKnowledgeOf(snapshot.state, unitId),
      after: unitKnowledgeOf(state, unitId),
    })),
  }
}
