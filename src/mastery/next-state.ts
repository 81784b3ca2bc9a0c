/**
 * What one submitted attempt does to the learner's skill state: the status machine. Pure; reached
 * through `decide` (decide.ts), which grades the attempt and turns it into this submission.
 *
 *   not_started (no state) → in_progress on the first submission
 *   → mastered when every unit (with published activities) is learned: P(L) ≥ 0.95 (knowledge.ts);
 *     the FSRS card is scheduled then
 *   mastered → review_needed when the card falls due (cron, and every read, see effectiveStatus)
 *   review_needed / mastered → a submission with a credited question is a review, rated on the
 *     credited questions: mastered again when it succeeds, review_needed when it is rated Again,
 *     in_progress when a unit fell below the threshold; one with none changes neither status nor card
 *
 * The observations update the P(L) of the unit the attempt's activity belongs to, and only it.
 */
import { type Grade as FsrsRating, Rating } from 'ts-fsrs'
import { type BktParameters, bktUpdate, type Observation } from './bkt.ts'
import { keepCard, ratingFor, review } from './fsrs.ts'
import { skillKnowledge } from './knowledge.ts'
import { effectiveStatus, type MasteryState } from './state.ts'

/**
 * One of the skill's activities, with what this learner had done on it before this attempt. Drafts
 * are listed too (an attempt started before its activity went back to draft is still graded, and
 * still updates its unit), but only published activities make the units and the progress that
 * mastery is read against (catalogue/publication.ts).
 */
export type SkillActivity = {
  id: string
  unitId: string
  published: boolean
  completed: boolean
  passed: boolean
}

export type Submission = {
  previous: MasteryState | undefined
  parameters: BktParameters
  /** The questions credited for mastery, as observations (decide.ts leaves out answers already shown). */
  observations: Observation[]
  activityId: string
  ratio: number
  /** The score ratio over the credited questions; null when none was: such a submission reviews nothing. */
  creditedRatio: number | null
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

/** The units of a skill that have published activities, in the order their activities come. */
export const unitsOf = (activities: readonly Pick<SkillActivity, 'unitId' | 'published'>[]) => [
  ...new Set(activities.filter((a) => a.published).map((a) => a.unitId)),
]

export function nextSkillState(submission: Submission): NextSkillState {
  const { previous, parameters, observations, activityId, now, activities } = submission
  const unitId = activities.find((a) => a.id === activityId)?.unitId
  if (unitId === undefined) throw new Error('the submitted activity is not one of the skill’s')
  const before = previous?.unitKnowledge[unitId] ?? parameters.pInit
  const unitKnowledge = { ...previous?.unitKnowledge, [unitId]: bktUpdate(before, observations, parameters) }
  const { masteryScore, learned } = skillKnowledge(unitKnowledge, unitsOf(activities), parameters.pInit)

  const done = activities
    .filter((a) => a.published)
    .map((a) => (a.id === activityId ? { ...a, completed: true, passed: a.passed || submission.passed } : a))
  const progress = done.length === 0 ? 0 : done.filter((a) => a.passed).length / done.length

  const knowledge = { masteryScore, unitKnowledge }
  const was = effectiveStatus(previous, now)
  const isReview = was === 'mastered' || was === 'review_needed'
  if (!isReview && !learned) {
    return { status: 'in_progress', progress, ...knowledge, rating: null, ...keepCard(previous) }
  }
  // Answers just revealed, or repeated inside their window, are no evidence of memory: not a review.
  if (isReview && submission.creditedRatio === null) {
    return {
      status: learned ? was : 'in_progress',
      progress,
      ...knowledge,
      rating: null,
      ...keepCard(previous),
    }
  }
  const rating = ratingFor(submission.creditedRatio ?? submission.ratio, submission.passingScore)
  const card = review(previous, now, rating)
  const status = !learned ? 'in_progress' : isReview && rating === Rating.Again ? 'review_needed' : 'mastered'
  return { status, progress, ...knowledge, rating, ...card }
}
