/**
 * A skill state rebuilt from history: every completed attempt of the skill, in completion order,
 * folded through `decide` — the one entry point a live submit goes through — each at the time it was
 * completed. Merging two learners replays both histories together (progress/merge.ts), so the result
 * is what one learner doing all of it would have, and a change to the model changes merges with it.
 */
import type { ActivityContent } from '../content/schema.ts'
import type { AnswerValue } from '../grading/grade.ts'
import type { BktParameters } from './bkt.ts'
import { decide } from './decide.ts'
import type { SkillActivity } from './next-state.ts'
import type { MasteryState } from './state.ts'

export type ReplayedSkill = {
  parameters: BktParameters
  /** Every activity of the skill, with its content. */
  activities: { id: string; unitId: string; content: ActivityContent }[]
}

export type CompletedAttempt = {
  id: string
  activityId: string
  answers: Record<string, AnswerValue>
  completedAt: Date
}

/** Completion order; attempts completed in the same instant, by id (any fixed order will do). */
const byCompletion = (a: CompletedAttempt, b: CompletedAttempt) =>
  a.completedAt.getTime() - b.completedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** The state after `attempts` (of any order); null when none of them is of an activity of the skill. */
export function replaySkill(skill: ReplayedSkill, attempts: CompletedAttempt[]): MasteryState | null {
  const contents = new Map(skill.activities.map((activity) => [activity.id, activity.content]))
  const done = new Map<string, SkillActivity>(
    skill.activities.map(({ id, unitId }) => [id, { id, unitId, completed: false, passed: false }]),
  )
  let state: MasteryState | null = null
  for (const attempt of [...attempts].sort(byCompletion)) {
    const content = contents.get(attempt.activityId)
    const before = done.get(attempt.activityId)
    if (!content || !before) continue
    const snapshot = {
      activityId: attempt.activityId,
      content,
      parameters: skill.parameters,
      state,
      activities: [...done.values()],
    }
    const decision = decide(snapshot, attempt.answers, attempt.completedAt)
    state = decision.state
    done.set(attempt.activityId, {
      ...before,
      completed: true,
      passed: before.passed || decision.grade.passed,
    })
  }
  return state
}
