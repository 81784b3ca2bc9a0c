/** The mastery model, as pure functions: BKT arithmetic, FSRS ratings, and the status machine. */
import { Rating, State } from 'ts-fsrs'
import { describe, expect, it } from 'vitest'
import { activityContent } from '../src/content/schema.ts'
import type { SkillState } from '../src/db/schema.ts'
import type { AnswerValue } from '../src/grading/grade.ts'
import {
  BktOverrides,
  bktParameters,
  bktStep,
  bktUpdate,
  DEFAULT_BKT,
  observationsFor,
} from '../src/mastery/bkt.ts'
import { decide, type SubmitSnapshot } from '../src/mastery/decide.ts'
import { ratingFor } from '../src/mastery/fsrs.ts'
import { nextSkillState, type Submission } from '../src/mastery/next-state.ts'
import { effectiveStatus, type MasteryState } from '../src/mastery/state.ts'
import { sampleContent } from './fixtures.ts'

const right = { correct: true, pGuess: 0.2 }
const wrong = { correct: false, pGuess: 0.2 }

describe('Bayesian Knowledge Tracing', () => {
  it('matches hand-computed updates with the default parameters', () => {
    // Correct from P(L)=0.2: 0.2·0.9 / (0.2·0.9 + 0.8·0.2) = 0.18/0.34, then + (1 − 0.18/0.34)·0.15 = 0.6 exactly.
    expect(bktStep(0.2, right, DEFAULT_BKT)).toBeCloseTo(0.6, 14)
    // Correct again: 0.6·0.9 / (0.54 + 0.4·0.2) = 0.54/0.62 → 0.870967…, + 0.129032…·0.15 = 0.890322…
    expect(bktUpdate(0.2, [right, right], DEFAULT_BKT)).toBeCloseTo(0.8903225806451613, 14)
    // Wrong from 0.2: 0.2·0.1 / (0.02 + 0.8·0.8) = 0.02/0.66 = 0.030303…, + 0.969696…·0.15 = 0.175757…
    expect(bktStep(0.2, wrong, DEFAULT_BKT)).toBeCloseTo(0.17575757575757575, 14)
    // A guessable question is weaker evidence: with G = 1/2, 0.18/(0.18 + 0.4) = 0.310344…, + 0.689655…·0.15
    expect(bktStep(0.2, { correct: true, pGuess: 0.5 }, DEFAULT_BKT)).toBeCloseTo(0.41379310344827586, 14)
  })

  it('applies observations in order (the steps do not commute)', () => {
    const ab = bktUpdate(0.3, [right, wrong], DEFAULT_BKT)
    const ba = bktUpdate(0.3, [wrong, right], DEFAULT_BKT)
    expect(ab).not.toBeCloseTo(ba, 6)
    expect(bktUpdate(0.3, [right, wrong], DEFAULT_BKT)).toBe(
      bktStep(bktStep(0.3, right, DEFAULT_BKT), wrong, DEFAULT_BKT),
    )
  })

  it('takes per-skill overrides from skills.metadata.bkt and ignores invalid ones', () => {
    expect(bktParameters({ bkt: { pInit: 0.5, pGuess: 0.25 } })).toEqual({
      ...DEFAULT_BKT,
      pInit: 0.5,
      pGuess: 0.25,
    })
    expect(bktParameters({ bkt: { pInit: 2 } })).toEqual(DEFAULT_BKT)
    expect(bktParameters({})).toEqual(DEFAULT_BKT)
    expect(BktOverrides.safeParse({ pSlip: 0.5, pGuess: 0.5 }).success).toBe(false)
    expect(BktOverrides.safeParse({ pTransit: 0 }).success).toBe(false)
    expect(BktOverrides.safeParse({ extra: 1 }).success).toBe(false)
  })

  it('raises the guess probability of single-choice questions to 1/choices', () => {
    const questions = [
      { kind: 'single_choice', choices: [1, 2] },
      { kind: 'single_choice', choices: [1, 2, 3, 4, 5, 6] },
      { kind: 'numeric' },
    ]
    expect(observationsFor(questions, [true, false, true], DEFAULT_BKT)).toEqual([
      { correct: true, pGuess: 0.5 },
      { correct: false, pGuess: 0.2 },
      { correct: true, pGuess: 0.2 },
    ])
  })
})

describe('FSRS rating from the score ratio', () => {
  it('fails below the passing score, then Hard, Good and Easy', () => {
    expect([0.5, 0.7, 0.89, 0.9, 0.99, 1].map((r) => ratingFor(r, 0.7))).toEqual([
      Rating.Again,
      Rating.Hard,
      Rating.Hard,
      Rating.Good,
      Rating.Good,
      Rating.Easy,
    ])
  })
})

const now = new Date('2026-06-01T12:00:00Z')
const day = 86_400_000

function state(overrides: Partial<SkillState>): SkillState {
  return {
    id: crypto.randomUUID(),
    learnerId: crypto.randomUUID(),
    skillId: crypto.randomUUID(),
    status: 'in_progress',
    progress: 0,
    masteryScore: 0.2,
    version: 1,
    due: null,
    stability: null,
    difficulty: null,
    cardState: null,
    scheduledDays: null,
    learningSteps: null,
    reps: 0,
    lapses: 0,
    lastReview: null,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }
}

/** A skill of two units; the attempt is at activity a1 of unit u1. */
function submission(overrides: Partial<Submission>): Submission {
  return {
    previous: undefined,
    parameters: DEFAULT_BKT,
    observations: [right, right, right],
    activityId: 'a1',
    ratio: 1,
    passingScore: 0.7,
    passed: true,
    activities: [
      { id: 'a1', unitId: 'u1', completed: false, passed: false },
      { id: 'a2', unitId: 'u2', completed: true, passed: false },
    ],
    now,
    ...overrides,
  }
}

const masteredCard = {
  status: 'mastered' as const,
  masteryScore: 0.99,
  due: new Date(now.getTime() + 10 * day),
  stability: 12,
  difficulty: 5,
  cardState: State.Review,
  scheduledDays: 10,
  learningSteps: 0,
  reps: 3,
  lastReview: new Date(now.getTime() - day),
}

describe('the status machine', () => {
  it('not_started → in_progress on the first submission, below the threshold', () => {
    const next = nextSkillState(submission({ observations: [right, wrong] }))
    expect(next).toMatchObject({ status: 'in_progress', rating: null, due: null, reps: 0, progress: 0.5 })
    expect(next.masteryScore).toBeCloseTo(bktUpdate(0.2, [right, wrong], DEFAULT_BKT), 14)
  })

  it('stays in_progress above the threshold while a unit has no completed activity', () => {
    const next = nextSkillState(
      submission({
        previous: state({ masteryScore: 0.9 }),
        activities: [
          { id: 'a1', unitId: 'u1', completed: false, passed: false },
          { id: 'a2', unitId: 'u2', completed: false, passed: false },
        ],
      }),
    )
    expect(next.masteryScore).toBeGreaterThan(0.95)
    expect(next).toMatchObject({ status: 'in_progress', due: null })
  })

  it('→ mastered at P(L) ≥ 0.95 with every unit covered, scheduling the first review', () => {
    const next = nextSkillState(submission({ previous: state({ masteryScore: 0.9 }) }))
    expect(next).toMatchObject({ status: 'mastered', rating: Rating.Easy, reps: 1, cardState: State.Review })
    expect(next.due?.getTime()).toBeGreaterThan(now.getTime() + day)
  })

  it('mastered → review_needed when the card falls due, on read', () => {
    const stored = state({ ...masteredCard, due: new Date(now.getTime() - 1) })
    expect(effectiveStatus(stored, now)).toBe('review_needed')
    expect(effectiveStatus({ ...stored, due: new Date(now.getTime() + 1) }, now)).toBe('mastered')
    expect(effectiveStatus(undefined, now)).toBe('not_started')
  })

  it('review_needed → mastered after a successful review, with a later due date', () => {
    const stored = state({ ...masteredCard, status: 'review_needed', due: new Date(now.getTime() - day) })
    const next = nextSkillState(submission({ previous: stored, ratio: 0.95 }))
    expect(next).toMatchObject({ status: 'mastered', rating: Rating.Good, reps: 4, lapses: 0 })
    expect(next.due?.getTime()).toBeGreaterThan(now.getTime() + 10 * day)
  })

  it('a failed review (Again) leaves it review_needed and counts a lapse', () => {
    const stored = state({ ...masteredCard, masteryScore: 0.999, due: new Date(now.getTime() - day) })
    const next = nextSkillState(
      submission({ previous: stored, observations: [right, right, wrong], ratio: 0.5, passed: false }),
    )
    expect(next.masteryScore).toBeGreaterThanOrEqual(0.95)
    expect(next).toMatchObject({ status: 'review_needed', rating: Rating.Again, lapses: 1 })
  })

  it('→ in_progress when a review drops P(L) below the threshold', () => {
    const stored = state({ ...masteredCard, masteryScore: 0.96 })
    const next = nextSkillState(
      submission({ previous: stored, observations: [wrong, wrong, wrong], ratio: 0, passed: false }),
    )
    expect(next.masteryScore).toBeLessThan(0.95)
    expect(next).toMatchObject({ status: 'in_progress', rating: Rating.Again })
  })

  it('progress counts passed activities, this attempt included when it passed', () => {
    expect(nextSkillState(submission({})).progress).toBe(0.5)
    expect(nextSkillState(submission({ passed: false, ratio: 0.5 })).progress).toBe(0)
  })
})

describe('decide(snapshot, answers, now): the one entry point', () => {
  // The fixtures' numeric q1 (1 + 1) and two-choice q2 (b), and a short-text q3.
  const content = activityContent.parse({
    passingScore: 0.7,
    questions: [
      ...sampleContent.questions,
      { id: 'q3', kind: 'short_text', prompt: 'Say yes', acceptedAnswers: ['yes'] },
    ],
  })
  const snapshot = (overrides: Partial<SubmitSnapshot> = {}): SubmitSnapshot => ({
    activityId: 'a1',
    content,
    parameters: DEFAULT_BKT,
    state: null,
    activities: [{ id: 'a1', unitId: 'u1', completed: false, passed: false }],
    ...overrides,
  })

  it('grades the answers and updates P(L) by one observation per question, in order', () => {
    const decision = decide(snapshot(), { q1: 2, q2: 'a', q3: ' YES ' }, now)
    expect(decision.grade).toMatchObject({ score: 2, maxScore: 3, passed: false })
    expect(decision.grade.feedback.map((f) => f.correct)).toEqual([true, false, true])
    const guessQ2 = { correct: false, pGuess: 0.5 } // two choices: guessed one time in two
    expect(decision.state.masteryScore).toBeCloseTo(bktUpdate(0.2, [right, guessQ2, right], DEFAULT_BKT), 14)
    expect(decision).toMatchObject({ review: null, state: { status: 'in_progress', progress: 0 } })
  })

  it('masters the skill and names the FSRS rating of the first review', () => {
    const decision = decide(
      snapshot({ state: state({ masteryScore: 0.9 }) }),
      { q1: 2, q2: 'b', q3: 'yes' },
      now,
    )
    expect(decision).toMatchObject({ review: 'easy', state: { status: 'mastered', progress: 1, reps: 1 } })
  })

  it('is pure: the same inputs give the same decision, and the snapshot is left as it was', () => {
    const input = snapshot({ state: state({ masteryScore: 0.5 }) })
    const copy = structuredClone(input)
    expect(decide(input, { q1: 2 }, now)).toEqual(decide(input, { q1: 2 }, now))
    expect(input).toEqual(copy)
  })

  it('folds: deciding attempts one after another, each on the state the last one left, is what the API stores', () => {
    let current: MasteryState | null = null
    const submissions: Record<string, AnswerValue>[] = [
      { q1: 2 },
      { q1: 2, q2: 'b' },
      { q1: 2, q2: 'b', q3: 'yes' },
    ]
    for (const answers of submissions) {
      current = decide(snapshot({ state: current }), answers, now).state
    }
    const observations = [right, wrong, wrong, right, right, wrong, right, right, right].map((o, i) =>
      i % 3 === 1 ? { ...o, pGuess: 0.5 } : o,
    )
    expect(current?.masteryScore).toBeCloseTo(bktUpdate(0.2, observations, DEFAULT_BKT), 14)
  })
})
