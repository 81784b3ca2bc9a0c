/**
 * Review scheduling with FSRS (ts-fsrs): one card per skill state, reviewed by every submission on a
 * mastered or review-needed skill (and first scheduled by the submission that masters it).
 * Skills are long-term memory, so short-term (minute-scale) learning steps are off: intervals are days.
 *
 * Rating from the attempt's score ratio r and the activity's passing score p:
 *   r < p → Again · p ≤ r < 0.9 → Hard · 0.9 ≤ r < 1 → Good · r = 1 → Easy
 */
import { type Card, createEmptyCard, type Grade as FsrsRating, fsrs, Rating, type State } from 'ts-fsrs'
import type { ReviewCard } from './state.ts'

const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false })

export function ratingFor(ratio: number, passingScore: number): FsrsRating {
  if (ratio < passingScore) return Rating.Again
  if (ratio < 0.9) return Rating.Hard
  if (ratio < 1) return Rating.Good
  return Rating.Easy
}

/** The ratings as the API names them, in ts-fsrs order (Again = 1). */
export const REVIEW_RATINGS = ['again', 'hard', 'good', 'easy'] as const

export type RatingName = (typeof REVIEW_RATINGS)[number]

export const ratingName = (rating: FsrsRating): RatingName => REVIEW_RATINGS[rating - 1] as RatingName

/** The stored card, or a new one when the skill has never been scheduled. */
function cardFrom(stored: ReviewCard | undefined, now: Date): Card {
  if (!stored?.due || stored.cardState === null) return createEmptyCard(now)
  return {
    due: stored.due,
    stability: stored.stability ?? 0,
    difficulty: stored.difficulty ?? 0,
    elapsed_days: 0, // deprecated in ts-fsrs 5: derived from last_review
    scheduled_days: stored.scheduledDays ?? 0,
    learning_steps: stored.learningSteps ?? 0,
    reps: stored.reps,
    lapses: stored.lapses,
    state: stored.cardState as State,
    last_review: stored.lastReview ?? undefined,
  }
}

function cardColumns(card: Card): ReviewCard {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    cardState: card.state,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    lastReview: card.last_review ?? null,
  }
}

/** The card after a review rated `rating` at `now` (a new card when none was scheduled). */
export function review(stored: ReviewCard | undefined, now: Date, rating: FsrsRating): ReviewCard {
  return cardColumns(scheduler.next(cardFrom(stored, now), now, rating).card)
}

/** The card as stored, or no card at all for a skill never mastered. */
export function keepCard(stored: ReviewCard | undefined): ReviewCard {
  return {
    due: stored?.due ?? null,
    stability: stored?.stability ?? null,
    difficulty: stored?.difficulty ?? null,
    cardState: stored?.cardState ?? null,
    scheduledDays: stored?.scheduledDays ?? null,
    learningSteps: stored?.learningSteps ?? null,
    reps: stored?.reps ?? 0,
    lapses: stored?.lapses ?? 0,
    lastReview: stored?.lastReview ?? null,
  }
}
