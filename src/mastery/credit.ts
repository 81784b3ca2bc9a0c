/**
 * Which answers are evidence of knowledge: one rule, used by a submit, a replay and the learner's
 * "what counts" read alike.
 *
 * A response to a fixed question is a BKT observation unless this learner answered it, or was shown
 * its answer, within its current window:
 *
 *   window      the activity's `review.creditAgainAfterHours` (default: 20 h for practice and quiz,
 *               168 h for test and challenge), doubled with each credited repeat of the question
 *   cap         once its answer was shown, a question is credited at most CAP_AFTER_SHOWN more times
 *   null        no window: a question whose answer was shown never counts again (the rule before
 *               windows), one only answered always does
 *
 * An instance of a parameterised question is a question of its own: a new instance (cycle 0 of its
 * draws, content/bindings.ts) is always credited; once every instance has been drawn, repeats
 * fall under the fixed rule, judged on the question.
 *
 * A question's history is folded from the learner's completed attempts of the activity, in order of
 * completion: by `recordSubmission` in a replay, and by the same arithmetic in SQL for a live submit
 * (progress/attempts/submit-statements.ts `creditHistory`).
 */
import type { ActivityType } from '../db/schema.ts'

export const CAP_AFTER_SHOWN = 3

const DEFAULT_WINDOW_HOURS: Record<ActivityType, number> = {
  practice: 20,
  quiz: 20,
  test: 168,
  challenge: 168,
}

/** The credit window of an activity's content version, in hours; null: never again once shown. */
export const creditWindowHours = (
  type: ActivityType,
  review: { creditAgainAfterHours?: number | null } | undefined,
): number | null =>
  review?.creditAgainAfterHours === undefined ? DEFAULT_WINDOW_HOURS[type] : review.creditAgainAfterHours

/** What this learner did with one question before: times in milliseconds since the epoch. */
export type QuestionHistory = {
  answeredAt: number | null
  revealedAt: number | null
  /** Credited answers after its first answer or reveal: each doubles the window. */
  repeats: number
  /** Credited answers after its answer was first shown: at most CAP_AFTER_SHOWN. */
  creditedSinceShown: number
  /** When it was first answered or shown, and first shown (what the two counts are counted from). */
  firstSeenAt: number | null
  firstShownAt: number | null
}

/** Question id → its history, for one learner and one activity. */
export type CreditHistory = Record<string, QuestionHistory>

const HOUR_MS = 3_600_000

/**
 * When the question counts toward mastery again: null when it counts now (or was never seen),
 * Infinity when it never will.
 */
export function countsAgainAt(
  history: QuestionHistory | undefined,
  windowHours: number | null,
): number | null {
  if (!history || (history.answeredAt === null && history.revealedAt === null)) return null
  if (windowHours === null) return history.revealedAt === null ? null : Number.POSITIVE_INFINITY
  if (history.revealedAt !== null && history.creditedSinceShown >= CAP_AFTER_SHOWN)
    return Number.POSITIVE_INFINITY
  const last = Math.max(history.answeredAt ?? 0, history.revealedAt ?? 0)
  return last + windowHours * HOUR_MS * 2 ** history.repeats
}

/** The same, as the API says it: when it counts again (null: now), and whether it never will. */
export function creditOutlook(
  history: QuestionHistory | undefined,
  windowHours: number | null,
): { countsAgainAt: number | null; retired: boolean } {
  const at = countsAgainAt(history, windowHours)
  const retired = at === Number.POSITIVE_INFINITY
  return { countsAgainAt: retired ? null : at, retired }
}

/** Whether an answer at `now` is credited. */
export function credits(
  history: QuestionHistory | undefined,
  windowHours: number | null,
  now: number,
): boolean {
  const at = countsAgainAt(history, windowHours)
  return at === null || at <= now
}

export type Recorded = { questionId: string; answered: boolean; revealed: boolean; credited: boolean }

/** The history after one more completed attempt at `at`: the fold a replay runs. */
export function recordSubmission(
  history: CreditHistory,
  outcomes: readonly Recorded[],
  at: number,
): CreditHistory {
  const next = { ...history }
  for (const { questionId, answered, revealed, credited } of outcomes) {
    const was = next[questionId] ?? {
      answeredAt: null,
      revealedAt: null,
      repeats: 0,
      creditedSinceShown: 0,
      firstSeenAt: null,
      firstShownAt: null,
    }
    const after = (since: number | null) => credited && since !== null && at > since
    next[questionId] = {
      answeredAt: answered ? at : was.answeredAt,
      revealedAt: revealed ? at : was.revealedAt,
      repeats: was.repeats + (after(was.firstSeenAt) ? 1 : 0),
      creditedSinceShown: was.creditedSinceShown + (after(was.firstShownAt) ? 1 : 0),
      firstSeenAt: was.firstSeenAt ?? (answered || revealed ? at : null),
      firstShownAt: was.firstShownAt ?? (revealed ? at : null),
    }
  }
  return next
}
