/**
 * The one entry point to the mastery model: what a submitted attempt does, given everything read
 * about it. Pure — the snapshot, the answers and the time in, the grade and the new state out — so a
 * submit, a replay of stored attempts (merging two learners, say) or a test folds over it the same
 * way, and nothing else calls the model's parts (grading, BKT, FSRS, the status machine).
 */
import type { ActivityContent } from '../content/schema.ts'
import { type AnswerValue, type GradeResult, grade } from '../grading/grade.ts'
import { type BktParameters, observationsFor } from './bkt.ts'
import { type ReviewRating, reviewRating } from './fsrs.ts'
import { nextSkillState, type SkillActivity } from './next-state.ts'
import type { MasteryState } from './state.ts'

/** What a submit reads before it decides. */
export type SubmitSnapshot = {
  activityId: string
  /** The activity's content with its answer keys. */
  content: ActivityContent
  /** The skill's BKT parameters. */
  parameters: BktParameters
  /** The learner's state on the skill; null before their first submission on it. */
  state: MasteryState | null
  /** Every activity of the skill, with what this learner had done on it before this attempt. */
  activities: SkillActivity[]
}

export type Decision = {
  grade: GradeResult
  /** The skill state to store. */
  state: MasteryState
  /** The FSRS rating when this submission reviewed a mastered skill (or first mastered it). */
  review: ReviewRating | null
}

export function decide(snapshot: SubmitSnapshot, answers: Record<string, AnswerValue>, now: Date): Decision {
  const result = grade(snapshot.content, answers)
  const { rating, ...state } = nextSkillState({
    previous: snapshot.state ?? undefined,
    parameters: snapshot.parameters,
    observations: observationsFor(
      snapshot.content.questions,
      result.feedback.map((f) => f.correct),
      snapshot.parameters,
    ),
    activityId: snapshot.activityId,
    ratio: result.ratio,
    passingScore: snapshot.content.passingScore,
    passed: result.passed,
    activities: snapshot.activities,
    now,
  })
  return { grade: result, state, review: rating === null ? null : reviewRating(rating) }
}
