/**
 * The mastery model's own state of one learner on one skill. The database stores it in
 * `skill_states` columns of the same names (src/db/schema.ts); this model knows nothing of rows.
 */

export const SKILL_STATUSES = ['not_started', 'in_progress', 'mastered', 'review_needed'] as const

type SkillStatus = (typeof SKILL_STATUSES)[number]

/** The FSRS review card (ts-fsrs), scheduled once the skill is mastered; empty before. */
export type ReviewCard = {
  due: Date | null
  stability: number | null
  difficulty: number | null
  /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
  cardState: number | null
  scheduledDays: number | null
  learningSteps: number | null
  reps: number
  lapses: number
  lastReview: Date | null
}

export type MasteryState = ReviewCard & {
  status: SkillStatus
  /** Share of the skill's activities passed, in [0, 1]. */
  progress: number
  /** P(L) of Bayesian Knowledge Tracing, in [0, 1]. */
  masteryScore: number
}

/** A mastered skill whose review is due reads as review_needed, whether or not the cron has run. */
export function effectiveStatus(state: Pick<MasteryState, 'status' | 'due'> | null | undefined, now: Date) {
  if (!state) return 'not_started' satisfies SkillStatus
  return state.status === 'mastered' && state.due !== null && state.due <= now
    ? 'review_needed'
    : state.status
}
