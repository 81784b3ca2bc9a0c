/**
 * What a learner is shown after a submit, as quiz engines let authors choose (Moodle's review
 * options are the model): whether per-question correctness is shown, and when the expected answers
 * and explanations are. Each activity type has a default; `content.review` overrides it.
 *
 *   practice            correctness, answers always
 *   quiz                correctness, answers after a pass
 *   test, challenge     the score only: correctness over retakes would give single-choice keys away
 *                       by elimination
 *
 * An unanswered question never reveals its key except under `always`. What was revealed is decided at
 * submit and stored with the feedback (src/mastery/decide.ts); presenting an attempt reads those
 * flags, never the policy of today.
 */
import type { ActivityType } from '../db/schema.ts'
import type { ActivityContent, REVEAL } from './schema.ts'

export type FeedbackPolicy = { correctness: boolean; answers: (typeof REVEAL)[number] }

const DEFAULTS: Record<ActivityType, FeedbackPolicy> = {
  practice: { correctness: true, answers: 'always' },
  quiz: { correctness: true, answers: 'after_pass' },
  test: { correctness: false, answers: 'never' },
  challenge: { correctness: false, answers: 'never' },
}

export const feedbackPolicy = (
  type: ActivityType,
  content: Pick<ActivityContent, 'review'>,
): FeedbackPolicy => ({
  ...DEFAULTS[type],
  ...content.review,
})

/** Whether the expected answer and the explanation of a question are shown, under `policy`. */
export function reveals(policy: FeedbackPolicy, answered: boolean, passed: boolean): boolean {
  switch (policy.answers) {
    case 'always':
      return true
    case 'after_pass':
      return passed && answered
    case 'never':
      return false
  }
}
