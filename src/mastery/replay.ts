/**
 * A skill state rebuilt from history: every completed attempt of the skill, in completion order,
 * folded through `decide` — the one entry point a live submit goes through — each at the time it was
 * completed, against the content version it was graded on. Merging two learners replays both
 * histories together (progress/merge/merge.ts), and a new model is brought to stored states the same way
 * (scripts/lib/data-migrations.ts), so the result is what one learner doing all of it would have.
 *
 * What each attempt showed is read from its stored flags, never recomputed: an answer shown once is
 * shown, whatever the policy says today.
 */
import type { FeedbackPolicy } from '../content/feedback-policy.ts'
import type { ActivityContent } from '../content/schema.ts'
import type { AnswerValue } from '../grading/grade.ts'
import type { BktParameters } from './bkt.ts'
import { decide } from './decide.ts'
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
  /** The content of the version it was graded against, its questions and its activity's policy. */
  content: ActivityContent
  questions: readonly string[]
  feedbackPolicy: FeedbackPolicy
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
  /** Per attempt, the questions that counted for mastery. */
  credited: Map<string, string[]>
}

export function replaySkill(skill: ReplayedSkill, attempts: CompletedAttempt[]): Replayed {
  const done = new Map<string, SkillActivity>(
    skill.activities.map((activity) => [activity.id, { ...activity, completed: false, passed: false }]),
  )
  const shown = new Map<string, Set<string>>()
  const credited = new Map<string, string[]>()
  let state: MasteryState | null = null
  for (const attempt of [...attempts].sort(byCompletion)) {
    const before = done.get(attempt.activityId)
    if (!before) continue
    const seen = shown.get(attempt.activityId) ?? new Set<string>()
    const decision = decide(
      {
        activityId: attempt.activityId,
        content: attempt.content,
        questions: attempt.questions,
        feedbackPolicy: attempt.feedbackPolicy,
        shown: [...seen],
        parameters: skill.parameters,
        state,
        activities: [...done.values()],
      },
      attempt.answers,
      attempt.completedAt,
    )
    state = decision.state
    credited.set(
      attempt.id,
      decision.grade.feedback.filter((f) => f.credited).map((f) => f.questionId),
    )
    for (const id of attempt.revealed) seen.add(id)
    shown.set(attempt.activityId, seen)
    done.set(attempt.activityId, {
      ...before,
      completed: true,
      passed: before.passed || decision.grade.passed,
    })
  }
  return { state, credited }
}
