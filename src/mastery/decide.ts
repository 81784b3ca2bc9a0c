/**
 * The one entry point to the mastery model: what a submitted attempt does, given everything read
 * about it. Pure — the snapshot, the answers and the time in, the grade, what the learner is shown
 * and the new state out — so a submit, a replay of stored attempts (merging two learners, migrating
 * states to a new model) or a test folds over it the same way, and nothing else calls the model's
 * parts (grading, review policy, BKT, FSRS, the status machine).
 *
 * Honest credit: a question whose expected answer this learner has already been shown still counts
 * toward the score and the pass, but it is not evidence of knowledge, so it is not a BKT observation.
 */

import { type FeedbackPolicy, reveals } from '../content/feedback-policy.ts'
import type { ActivityContent } from '../content/schema.ts'
import { type AnswerValue, type GradedQuestion, type GradeResult, grade } from '../grading/grade.ts'
import { type BktParameters, observationsFor } from './bkt.ts'
import { type RatingName, ratingName } from './fsrs.ts'
import { nextSkillState, type SkillActivity, unitsOf } from './next-state.ts'
import type { MasteryState } from './state.ts'

/** What a submit reads before it decides. */
export type SubmitSnapshot = {
  activityId: string
  /** The content of the attempt's version, with its answer keys. */
  content: ActivityContent
  /** The attempt's questions, as drawn and ordered at its start. */
  questions: readonly string[]
  /** What the learner is shown after the submit (content/feedback-policy.ts). */
  feedbackPolicy: FeedbackPolicy
  /** Questions of this activity whose expected answer this learner was shown before. */
  shown: readonly string[]
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
  /** It was a BKT observation: its answer had not been shown to this learner before. */
  credited: boolean
}

export type Decision = {
  grade: Omit<GradeResult, 'feedback'> & { feedback: QuestionOutcome[] }
  /** The skill state to store. */
  state: MasteryState
  /** The FSRS rating when this submission reviewed a mastered skill (or first mastered it). */
  rating: RatingName | null
  /** Each unit of the skill (with activities), its P(L) before and after this submission. */
  knowledge: { unitId: string; before: number; after: number }[]
}

export function decide(snapshot: SubmitSnapshot, answers: Record<string, AnswerValue>, now: Date): Decision {
  const { content, parameters, feedbackPolicy: policy } = snapshot
  const result = grade(content, snapshot.questions, answers)
  const shown = new Set(snapshot.shown)
  const feedback = result.feedback.map(
    (question): QuestionOutcome => ({
      ...question,
      revealed: reveals(policy, question.answered, result.passed),
      marked: policy.correctness,
      credited: !shown.has(question.questionId),
    }),
  )
  const byId = new Map(content.questions.map((q) => [q.id, q]))
  const credited = feedback.filter((f) => f.credited)
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
    passingScore: content.passingScore,
    passed: result.passed,
    activities: snapshot.activities,
    now,
  })
  const unitKnowledgeOf = (of: MasteryState | null, unitId: string) =>
    of?.unitKnowledge[unitId] ?? parameters.pInit
  return {
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
