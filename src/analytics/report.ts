/**
 * From dashboard rows (dashboards.ts) to what authors read: pure, the same whichever source the rows
 * came from.
 *
 * Item analysis uses the usual bands: a question is `too_easy` above a facility of 0.9, `too_hard`
 * below 0.3, `poorly_discriminating` under a discrimination of 0.2, and `negatively_discriminating`
 * (likely misleading, or a wrong key) below 0 — flagged only from MIN_RESPONSES responses on.
 * Distractor analysis compares the top and bottom groups: the attempts in the highest and the lowest
 * score bands that together hold at least 27% of the attempts each (Kelley's groups, to the band).
 */
import type { ActivityContent } from '../content/schema.ts'
import type { BandRow, DailyRow, PickRow, QuestionRow, SkillBandRow } from './dashboards.ts'

export const MIN_RESPONSES = 10
const GROUP_SHARE = 0.27
const BANDS = Array.from({ length: 10 }, (_, band) => band)
/** The statuses a stored skill state has (a state exists once a learner has submitted). */
const STARTED = ['in_progress', 'mastered', 'review_needed'] as const

export type QuestionFlag = 'too_easy' | 'too_hard' | 'poorly_discriminating' | 'negatively_discriminating'

const sumOf = <T>(rows: T[], value: (row: T) => number) => rows.reduce((sum, row) => sum + value(row), 0)

/** Pearson's correlation from sums, as Postgres's corr() computes it; null when undefined. */
function correlation({ responses: n, correct, rest_sum, rest_squares, correct_rest_sum }: QuestionRow) {
  const covariance = n * correct_rest_sum - correct * rest_sum
  const spread = (n * correct - correct * correct) * (n * rest_squares - rest_sum * rest_sum)
  return n < 2 || spread <= 0 ? null : covariance / Math.sqrt(spread)
}

function flagsOf(responses: number, facility: number | null, discrimination: number | null): QuestionFlag[] {
  if (responses < MIN_RESPONSES || facility === null) return []
  const flags: QuestionFlag[] = []
  if (facility > 0.9) flags.push('too_easy')
  if (facility < 0.3) flags.push('too_hard')
  if (discrimination !== null && discrimination < 0) flags.push('negatively_discriminating')
  else if (discrimination !== null && discrimination < 0.2) flags.push('poorly_discriminating')
  return flags
}

/** The top and bottom groups: the fewest bands from each end holding ≥ 27% of attempts, never overlapping. */
export function groups(bands: BandRow[]) {
  const byBand = new Map(bands.map((row) => [row.band, row.attempts]))
  const total = sumOf(bands, (row) => row.attempts)
  const take = (order: number[], exclude: Set<number>) => {
    const chosen = new Set<number>()
    let held = 0
    for (const band of order) {
      if (held >= GROUP_SHARE * total || exclude.has(band)) break
      chosen.add(band)
      held += byBand.get(band) ?? 0
    }
    return { bands: chosen, attempts: held }
  }
  const top = take([...BANDS].reverse(), new Set())
  const bottom = take(BANDS, top.bands)
  return { top, bottom }
}

/** An activity's dashboard, from its content (the version read) and its rows. */
export function activityReport(
  content: ActivityContent,
  {
    daily,
    bands,
    questions,
    picks,
  }: { daily: DailyRow[]; bands: BandRow[]; questions: QuestionRow[]; picks: PickRow[] },
) {
  const attemptsByBand = new Map(bands.map((row) => [row.band, row.attempts]))
  const { top, bottom } = groups(bands)
  const statsById = new Map(questions.map((row) => [row.question_id, row]))
  const picksOf = Map.groupBy(picks, (row) => `${row.question_id}\u0000${row.choice_id}`)
  return {
    attempts: sumOf(bands, (row) => row.attempts),
    daily: daily.map((row) => ({
      day: row.day,
      completed: row.completed,
      passed: row.passed,
      meanScoreRatio: row.completed > 0 ? row.ratio_sum / row.completed : null,
    })),
    scoreDistribution: BANDS.map((band) => ({
      band,
      from: band / 10,
      to: (band + 1) / 10,
      attempts: attemptsByBand.get(band) ?? 0,
    })),
    groups: {
      top: { fromBand: Math.min(...top.bands, 9), attempts: top.attempts },
      bottom: { toBand: Math.max(...bottom.bands, 0), attempts: bottom.attempts },
    },
    questions: content.questions.map((question) => {
      const stats = statsById.get(question.id)
      const responses = stats?.responses ?? 0
      const facility = stats && responses > 0 ? stats.correct / responses : null
      const discrimination = stats ? correlation(stats) : null
      const keys = new Set(
        question.kind === 'single_choice'
          ? [question.answer]
          : question.kind === 'multiple_choice'
            ? question.answers
            : [],
      )
      const choices =
        question.kind === 'single_choice' || question.kind === 'multiple_choice'
          ? question.choices.map((choice) => {
              const rows = picksOf.get(`${question.id}\u0000${choice.id}`) ?? []
              const within = (group: Set<number>) =>
                sumOf(rows, (row) => (group.has(row.band) ? row.picks : 0))
              return {
                choiceId: choice.id,
                text: choice.text,
                key: keys.has(choice.id),
                picks: sumOf(rows, (row) => row.picks),
                topPicks: within(top.bands),
                bottomPicks: within(bottom.bands),
              }
            })
          : null
      return {
        questionId: question.id,
        kind: question.kind,
        prompt: question.prompt,
        responses,
        facility,
        discrimination,
        flags: flagsOf(responses, facility, discrimination),
        choices,
      }
    }),
  }
}

/** A skill's dashboard from its rows: learners by status, mastery bands, and the funnel. */
export function skillReport(rows: SkillBandRow[]) {
  const learnersIn = (status: (typeof STARTED)[number]) =>
    sumOf(
      rows.filter((row) => row.status === status),
      (row) => row.learners,
    )
  const byStatus = {
    in_progress: learnersIn('in_progress'),
    mastered: learnersIn('mastered'),
    review_needed: learnersIn('review_needed'),
  }
  const started = sumOf(rows, (row) => row.learners)
  return {
    learners: started,
    byStatus,
    mastery: BANDS.map((band) => ({
      band,
      from: band / 10,
      to: (band + 1) / 10,
      learners: sumOf(
        rows.filter((row) => row.band === band),
        (row) => row.learners,
      ),
    })),
    funnel: {
      started,
      passedOne: sumOf(rows, (row) => row.passed_one),
      passedAll: sumOf(rows, (row) => row.passed_all),
      mastered: byStatus.mastered + byStatus.review_needed,
    },
  }
}
