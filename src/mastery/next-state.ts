/**
 * What one submitted attempt does to the learner's skill state: the status machine. Pure; reached
 * through `decide` (decide.ts), which grades the attempt and turns it into this submission.
 *
 *   not_started (no state) → in_progress on the first submission
 *   → mastered when P(L) ≥ 0.95 and every unit (with activities) has a completed activity;
 *     the FSRS card is scheduled then
 *   mastered → review_needed when the card falls due (cron, and every read, see effectiveStatus)
 *   review_needed / mastered → a submission is a review: mastered again when it succeeds,
 *     review_needed when it is rated Again, in_progress when P(L) fell below the threshold
 */
import { type Grade as FsrsRating, Rating } from 'ts-fsrs'
import { type BktParameters, bktUpdate, MASTERY_THRESHOLD, type Observation } from './bkt.ts'
import { keepCard, ratingFor, review } from './fsrs.ts'
import { effectiveStatus, type MasteryState } from './state.ts'

/** One of the skill's activities, with what this learner had done on it before this attempt. */
export type SkillActivity = { id: string; unitId: string; completed: boolean; passed: boolean }

export type Submission = {
  previous: MasteryState | undefined
  parameters: BktParameters
  observations: Observation[]
  activityId: string
  ratio: number
  passingScore: number
  passed: boolean
  /** The skill's activities with what this learner had done before this attempt. */
  activities: SkillActivity[]
  now: Date
}

export type NextSkillState = MasteryState & {
  status: 'in_progress' | 'mastered' | 'review_needed'
  /** The FSRS rating when this submission was a review (or scheduled the first one). */
  rating: FsrsRating | null
}

export function nextSkillState(submission: Submission): NextSkillState {
  const { previous, parameters, observations, activityId, now, activities } = submission
  const masteryScore = bktUpdate(previous?.masteryScore ?? parameters.pInit, observations, parameters)

  const done = activities.map((a) =>
    a.id === activityId ? { ...a, completed: true, passed: a.passed || submission.passed } : a,
  )
  const progress = done.length === 0 ? 0 : done.filter((a) => a.passed).length / done.length
  const units = new Set(done.map((a) => a.unitId))
  const covered = [...units].every((unitId) => done.some((a) => a.unitId === unitId && a.completed))
  const eligible = masteryScore >= MASTERY_THRESHOLD && covered

  const before = effectiveStatus(previous, now)
  const isReview = before === 'mastered' || before === 'review_needed'
  if (!isReview && !eligible) {
    return { status: 'in_progress', progress, masteryScore, rating: null, ...keepCard(previous) }
  }
  const rating = ratingFor(submission.ratio, submission.passingScore)
  const card = review(previous, now, rating)
  const status = !eligible
    ? 'in_progress'
    : isReview && rating === Rating.Again
      ? 'review_needed'
      : 'mastered'
  return { status, progress, masteryScore, rating, ...card }
}
