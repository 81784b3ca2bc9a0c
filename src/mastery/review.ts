/**
 * Review scheduling with FSRS (ts-fsrs): one card per skill state, reviewed by every submission on a
 * mastered or review-needed skill (and first scheduled by the submission that masters it).
 * Skills are long-term memory, so short-term (minute-scale) learning steps are off: intervals are days.
 *
 * Rating from the attempt's score ratio r and the activity's passing score p:
 *   r < p → Again · p ≤ r < 0.9 → Hard · 0.9 ≤ r < 1 → Good · r = 1 → Easy
 */
import { type Card, createEmptyCard, fsrs, type Grade, Rating, type State } from 'ts-fsrs'
import type { SkillState } from '../db/schema.ts'

const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false })

export function ratingFor(ratio: number, passingScore: number): Grade {
  if (ratio < passingScore) return Rating.Again
  if (ratio < 0.9) return Rating.Hard
  if (ratio < 1) return Rating.Good
  return Rating.Easy
}

export type CardColumns = Pick<
  SkillState,
  | 'due'
  | 'stability'
  | 'difficulty'
  | 'cardState'
  | 'scheduledDays'
  | 'learningSteps'
  | 'reps'
  | 'lapses'
  | 'lastReview'
>

/** The stored card, or a new one when the skill has never been scheduled. */
export function cardFrom(row: CardColumns | undefined, now: Date): Card {
  if (!row?.due || row.cardState === null) return createEmptyCard(now)
  return {
    due: row.due,
    stability: row.stability ?? 0,
    difficulty: row.difficulty ?? 0,
    elapsed_days: 0, // deprecated in ts-fsrs 5: derived from last_review
    scheduled_days: row.scheduledDays ?? 0,
    learning_steps: row.learningSteps ?? 0,
    reps: row.reps,
    lapses: row.lapses,
    state: row.cardState as State,
    last_review: row.lastReview ?? undefined,
  }
}

export function cardColumns(card: Card): CardColumns {
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

export function review(card: Card, now: Date, rating: Grade): Card {
  return scheduler.next(card, now, rating).card
}

export const RATING_NAMES = ['again', 'hard', 'good', 'easy'] as const

export const ratingName = (rating: Grade) => RATING_NAMES[rating - 1] as (typeof RATING_NAMES)[number]
