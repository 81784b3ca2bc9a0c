/**
 * What one submitted attempt does to the learner's skill state. Pure: the stored state and what the
 * attempt showed in, the new state out. The submit route writes it back only if the stored row is
 * still the version it read (and retries otherwise), so no update is lost.
 *
 * Status machine:
 *   not_started (no row) → in_progress on the first submission
 *   → mastered when P(L) ≥ 0.95 and every unit (with activities) has a completed activity;
 *     the FSRS card is scheduled then
 *   mastered → review_needed when the card falls due (cron, and every read, see effectiveStatus)
 *   review_needed / mastered → a submission is a review: mastered again when it succeeds,
 *     review_needed when it is rated Again, in_progress when P(L) fell below the threshold
 */
import { type Grade, Rating } from 'ts-fsrs'
import type { SkillState } from '../db/schema.ts'
import { type BktParameters, bktUpdate, MASTERY_THRESHOLD, type Observation } from './bkt.ts'
import { type CardColumns, cardColumns, cardFrom, ratingFor, review } from './review.ts'

export type SkillActivity = { id: string; unitId: string; completed: boolean; passed: boolean }

export type Submission = {
  previous: SkillState | undefined
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

export type NextSkillState = CardColumns & {
  status: 'in_progress' | 'mastered' | 'review_needed'
  progress: number
  masteryScore: number
  /** The FSRS rating when this submission was a review (or scheduled the first one). */
  rating: Grade | null
}

type Status = SkillState['status']

/** A mastered skill whose review is due reads as review_needed, whether or not the cron has run. */
export function effectiveStatus(state: Pick<SkillState, 'status' | 'due'> | undefined, now: Date): Status {
  if (!state) return 'not_started'
  return state.status === 'mastered' && state.due !== null && state.due <= now
    ? 'review_needed'
    : state.status
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
    return { status: 'in_progress', progress, masteryScore, rating: null, ...storedCard(previous) }
  }
  const rating = ratingFor(submission.ratio, submission.passingScore)
  const card = cardColumns(review(cardFrom(previous, now), now, rating))
  const status = !eligible
    ? 'in_progress'
    : isReview && rating === Rating.Again
      ? 'review_needed'
      : 'mastered'
  return { status, progress, masteryScore, rating, ...card }
}

/** The card as stored, or no card at all for a skill never mastered. */
function storedCard(row: SkillState | undefined): CardColumns {
  return {
    due: row?.due ?? null,
    stability: row?.stability ?? null,
    difficulty: row?.difficulty ?? null,
    cardState: row?.cardState ?? null,
    scheduledDays: row?.scheduledDays ?? null,
    learningSteps: row?.learningSteps ?? null,
    reps: row?.reps ?? 0,
    lapses: row?.lapses ?? 0,
    lastReview: row?.lastReview ?? null,
  }
}
