/**
 * A skill state rebuilt from history: every completed attempt of the skill, in completion order,
 * folded through `decide` — the one entry point a live submit goes through — each at the time it was
 * completed, against the content version it was graded on. Merging two learners replays both
 * histories together (progress/merge/merge.ts), and a new model is brought to stored states the same way
 * (scripts/lib/data-migrations.ts), so the result is what one learner doing all of it would have.
 *
 * What each attempt showed is read from its stored flags, never recomputed: an answer shown once is
 * shown, whatever the policy says today. Each attempt's instances are its stored bindings, never
 * drawn again. Credit is decided afresh (credit.ts), from the history the replay has folded so far.
 */

import type { Bindings } from '../content/bindings.ts'
import type { FeedbackPolicy } from '../content/feedback-policy.ts'
import type { ActivityContent } from '../content/schema.ts'
import type { AnswerValue } from '../grading/grade.ts'
import type { BktParameters } from './bkt.ts'
import { type CreditHistory, recordSubmission } from './credit.ts'
import { type Decision, decide } from './decide.ts'
import type { SkillActivity } from './next-state.ts'
import type { MasteryState } from './state.ts'

export type ReplayedSkill = {
  parameters: BktParameters
  /** Every activity of the skill now, with its unit and whether it is published (drafts included). */
  activities: { id: string; unitId: string; published: boolean }[]
}

export type CompletedAttempt = {
  id: string
  activityId: string
  /** The content of the version it was graded against (its instances in place), its questions, its bindings. */
  content: ActivityContent
  questions: readonly string[]
  bindings: Bindings
  /** Its activity's review policy and credit window, for that version. */
  feedbackPolicy: FeedbackPolicy
  creditWindowHours: number | null
  answers: Record<string, AnswerValue>
  completedAt: Date
  /** The questions whose answers it showed (its stored feedback's `revealed` flags). */
  revealed: readonly string[]
}

/** Completion order; attempts completed in the same instant, by id (any fixed order will do). */
const byCompletion = (a: CompletedAttempt, b: CompletedAttempt) =>
  a.completedAt.getTime() - b.completedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export type Replayed = {
  /** Null when none of the attempts is of an activity of the skill. */
  state: MasteryState | null
  /** Per attempt, its feedback's credit as the model now decides it. */
  credit: Map<
    string,
    Pick<Decision['grade']['feedback'][number], 'questionId' | 'credited' | 'countsAgainAt' | 'retired'>[]
  >
}

export function replaySkill(skill: ReplayedSkill, attempts: CompletedAttempt[]): Replayed {
  const done = new Map<string, SkillActivity>(
    skill.activities.map((activity) => [activity.id, { ...activity, completed: false, passed: false }]),
  )
  const histories = new Map<string, CreditHistory>()
  const credit: Replayed['credit'] = new Map()
  let state: MasteryState | null = null
  for (const attempt of [...attempts].sort(byCompletion)) {
    const before = done.get(attempt.activityId)
    if (!before) continue
    const history = histories.get(attempt.activityId) ?? {}
    const decision = decide(
      {
        activityId: attempt.activityId,
        content: attempt.content,
        questions: attempt.questions,
        bindings: attempt.bindings,
        feedbackPolicy: attempt.feedbackPolicy,
        history,
        creditWindowHours: attempt.creditWindowHours,
        parameters: skill.parameters,
        state,
        activities: [...done.values()],
      },
      attempt.answers,
      attempt.completedAt,
    )
    state = decision.state
    const { feedback } = decision.grade
    credit.set(
      attempt.id,
      feedback.map(({ questionId, credited, countsAgainAt, retired }) => ({
        questionId,
        credited,
        countsAgainAt,
        retired,
      })),
    )
    // What the attempt showed is its stored flags; what it credited, the model's decision.
    const revealed = new Set(attempt.revealed)
    const recorded = feedback.map((f) => ({ ...f, revealed: revealed.has(f.questionId) }))
    histories.set(attempt.activityId, recordSubmission(history, recorded, attempt.completedAt.getTime()))
    done.set(attempt.activityId, {
      ...before,
      completed: true,
      passed: before.passed || decision.grade.passed,
    })
  }
  return { state, credit }
}
