/**
 * The mastery model's own state of one learner on one skill. The database stores it in
 * `skill_states` columns of the same names (src/db/schema.ts); this model knows nothing of rows.
 */
import type { UnitKnowledge } from './knowledge.ts'

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
  /** The mean of the units' P(L) (knowledge.ts), in [0, 1]. */
  masteryScore: number
  /** BKT P(L) of each unit practised. */
  unitKnowledge: UnitKnowledge
}

/**
 * The status a state reads as now: a mastered skill whose review is due reads as review_needed,
 * whether or not the cron has run; a mastered skill with a unit not learned (one added since) reads
 * as in_progress until it is.
 */
export function effectiveStatus(
  state: Pick<MasteryState, 'status' | 'due'> | null | undefined,
  now: Date,
  learned = true,
): SkillStatus {
  if (!state) return 'not_started'
  const mastered = state.status === 'mastered' || state.status === 'review_needed'
  if (mastered && !learned) return 'in_progress'
  return state.status === 'mastered' && state.due !== null && state.due <= now
    ? 'review_needed'
    : state.status
}

/** The model's fields of a stored state (a row carries ids, versions and timestamps besides). */
export const masteryStateOf = (stored: MasteryState): MasteryState => ({
  status: stored.status,
  progress: stored.progress,
  masteryScore: stored.masteryScore,
  unitKnowledge: stored.unitKnowledge,
  due: stored.due,
  stability: stored.stability,
  difficulty: stored.difficulty,
  cardState: stored.cardState,
  scheduledDays: stored.scheduledDays,
  learningSteps: stored.learningSteps,
  reps: stored.reps,
  lapses: stored.lapses,
  lastReview: stored.lastReview,
})
