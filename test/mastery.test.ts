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
import { recordSubmission } from '../src/mastery/credit.ts'
import { decide, type SubmitSnapshot } from '../src/mastery/decide.ts'
import { ratingFor } from '../src/mastery/fsrs.ts'
import { skillKnowledge } from '../src/mastery/knowledge.ts'
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
    // Valid for every question kind: with the largest effective guess (½, two choices) a wrong answer
    // is still evidence against knowing.
    for (const pSlip of [0.1, 0.3, 0.49]) {
      expect(BktOverrides.safeParse({ pSlip, pGuess: 0.01 }).success).toBe(true)
      const after = bktUpdate(
        0.28,
        Array.from({ length: 8 }, () => ({ correct: false, pGuess: 0.5 })),
        {
          ...DEFAULT_BKT,
          pSlip,
          pGuess: 0.01,
          pTransit: 0,
        },
      )
      expect(after).toBeLessThanOrEqual(0.28)
    }
    expect(BktOverrides.safeParse({ pSlip: 0.6, pGuess: 0.01 }).success).toBe(false)
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
    unitKnowledge: {},
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
      { id: 'a1', unitId: 'u1', published: true, completed: false, passed: false },
      { id: 'a2', unitId: 'u2', published: true, completed: true, passed: false },
    ],
    now,
    ...overrides,
    // Every question credited, unless the test says otherwise.
    creditedRatio: 'creditedRatio' in overrides ? (overrides.creditedRatio ?? null) : (overrides.ratio ?? 1),
  }
}

const masteredCard = {
  status: 'mastered' as const,
  masteryScore: 0.99,
  unitKnowledge: { u1: 0.99, u2: 0.99 },
  due: new Date(now.getTime() + 10 * day),
  stability: 12,
  difficulty: 5,
  cardState: State.Review,
  scheduledDays: 10,
  learningSteps: 0,
  reps: 3,
  lastReview: new Date(now.getTime() - day),
}

describe('knowledge per unit', () => {
  it('is the mean of the units, a unit never practised at the prior; learned when every unit is at 0.95', () => {
    expect(skillKnowledge({ u1: 0.9 }, ['u1', 'u2'], 0.2)).toEqual({ masteryScore: 0.55, learned: false })
    expect(skillKnowledge({ u1: 0.96, u2: 0.98 }, ['u1', 'u2'], 0.2)).toEqual({
      masteryScore: 0.97,
      learned: true,
    })
    // A unit added later: back to in progress, and the mean counts it at the prior.
    expect(skillKnowledge({ u1: 0.96, u2: 0.98 }, ['u1', 'u2', 'u3'], 0.2).learned).toBe(false)
    // Not started reads at the prior; a unit is learned only with evidence, whatever the prior.
    expect(skillKnowledge({}, ['u1'], 0.2)).toEqual({ masteryScore: 0.2, learned: false })
    expect(skillKnowledge({}, ['u1'], 0.97).learned).toBe(false)
  })
})

describe('the status machine', () => {
  it('not_started → in_progress on the first submission; only the unit of the activity moves', () => {
    const next = nextSkillState(submission({ observations: [right, wrong] }))
    expect(next).toMatchObject({ status: 'in_progress', rating: null, due: null, reps: 0, progress: 0.5 })
    const u1 = bktUpdate(0.2, [right, wrong], DEFAULT_BKT)
    expect(next.unitKnowledge).toEqual({ u1 })
    expect(next.masteryScore).toBeCloseTo((u1 + 0.2) / 2, 14)
  })

  it('stays in_progress while another unit is not learned, however well this one is known', () => {
    const next = nextSkillState(submission({ previous: state({ unitKnowledge: { u1: 0.9 } }) }))
    expect(next.unitKnowledge.u1).toBeGreaterThan(0.95)
    expect(next).toMatchObject({ status: 'in_progress', due: null })
    expect(next.masteryScore).toBeCloseTo(((next.unitKnowledge.u1 ?? 0) + 0.2) / 2, 14)
  })

  it('→ mastered when every unit is learned, scheduling the first review', () => {
    const next = nextSkillState(submission({ previous: state({ unitKnowledge: { u1: 0.9, u2: 0.97 } }) }))
    expect(next).toMatchObject({ status: 'mastered', rating: Rating.Easy, reps: 1, cardState: State.Review })
    expect(next.due?.getTime()).toBeGreaterThan(now.getTime() + day)
  })

  it('mastered → review_needed when the card falls due, and → in_progress when a unit is added, on read', () => {
    const stored = state({ ...masteredCard, due: new Date(now.getTime() - 1) })
    expect(effectiveStatus(stored, now)).toBe('review_needed')
    expect(effectiveStatus({ ...stored, due: new Date(now.getTime() + 1) }, now)).toBe('mastered')
    expect(effectiveStatus({ ...stored, due: new Date(now.getTime() + 1) }, now, false)).toBe('in_progress')
    expect(effectiveStatus(undefined, now)).toBe('not_started')
  })

  it('review_needed → mastered after a successful review, with a later due date', () => {
    const stored = state({ ...masteredCard, status: 'review_needed', due: new Date(now.getTime() - day) })
    const next = nextSkillState(submission({ previous: stored, ratio: 0.95 }))
    expect(next).toMatchObject({ status: 'mastered', rating: Rating.Good, reps: 4, lapses: 0 })
    expect(next.due?.getTime()).toBeGreaterThan(now.getTime() + 10 * day)
  })

  it('a failed review (Again) leaves it review_needed and counts a lapse', () => {
    const stored = state({
      ...masteredCard,
      unitKnowledge: { u1: 0.999, u2: 0.99 },
      due: new Date(now.getTime() - day),
    })
    const next = nextSkillState(
      submission({ previous: stored, observations: [right, right, wrong], ratio: 0.5, passed: false }),
    )
    expect(next.unitKnowledge.u1).toBeGreaterThanOrEqual(0.95)
    expect(next).toMatchObject({ status: 'review_needed', rating: Rating.Again, lapses: 1 })
  })

  it('→ in_progress when a review drops a unit below the threshold', () => {
    const stored = state({ ...masteredCard, unitKnowledge: { u1: 0.96, u2: 0.99 } })
    const next = nextSkillState(
      submission({ previous: stored, observations: [wrong, wrong, wrong], ratio: 0, passed: false }),
    )
    expect(next.unitKnowledge.u1).toBeLessThan(0.95)
    expect(next).toMatchObject({ status: 'in_progress', rating: Rating.Again })
  })

  it('progress counts passed activities, this attempt included when it passed', () => {
    expect(nextSkillState(submission({})).progress).toBe(0.5)
    expect(nextSkillState(submission({ passed: false, ratio: 0.5 })).progress).toBe(0)
  })

  it('reads mastery and progress against published activities; an attempt on a draft still teaches its unit', () => {
    const learnedU1 = state({ unitKnowledge: { u1: 0.97 } })
    // u2's only activity went back to draft: u1 alone is what mastery asks, and progress counts a1 only.
    const u2Draft = [
      { id: 'a1', unitId: 'u1', published: true, completed: false, passed: false },
      { id: 'a2', unitId: 'u2', published: false, completed: true, passed: true },
    ]
    const onPublished = nextSkillState(submission({ previous: learnedU1, activities: u2Draft }))
    expect(onPublished).toMatchObject({ status: 'mastered', progress: 1 })
    expect(onPublished.masteryScore).toBe(onPublished.unitKnowledge.u1)

    // An attempt on the draft (started before it was unpublished): u2's P(L) moves, nothing counts it.
    const onDraft = nextSkillState(submission({ previous: learnedU1, activities: u2Draft, activityId: 'a2' }))
    expect(onDraft.unitKnowledge.u2).toBeGreaterThan(0.2)
    expect(onDraft.masteryScore).toBe(0.97)
    expect(onDraft.progress).toBe(0)
  })
})

describe('decide(snapshot, answers, now): the one entry point', () => {
  // The fixtures' numeric q1 (1 + 1) and two-choice q2 (b), and a short-text q3.
  const content = activityContent.parse({
    passingScore: 0.7,
    questions: [
      ...sampleContent.questions,
      { id: 'q3', kind: 'short_text', prompt: 'Say yes', acceptedAnswers: ['yes'], explanation: 'Yes.' },
    ],
  })
  const always = { correctness: true, answers: 'always' } as const
  const snapshot = (overrides: Partial<SubmitSnapshot> = {}): SubmitSnapshot => ({
    activityId: 'a1',
    content,
    questions: ['q1', 'q2', 'q3'],
    feedbackPolicy: always,
    bindings: {},
    history: {},
    creditWindowHours: 20,
    parameters: DEFAULT_BKT,
    state: null,
    activities: [
      { id: 'a1', unitId: 'u1', published: true, completed: false, passed: false },
      { id: 'a2', unitId: 'u2', published: true, completed: false, passed: false },
    ],
    ...overrides,
  })
  const guessQ2 = { correct: false, pGuess: 0.5 } // two choices: guessed one time in two

  it('grades the answers and updates the unit’s P(L) by one observation per question, in order', () => {
    const decision = decide(snapshot(), { q1: 2, q2: 'a', q3: ' YES ' }, now)
    expect(decision.grade).toMatchObject({ score: 2, maxScore: 3, passed: false })
    expect(decision.grade.feedback.map((f) => f.correct)).toEqual([true, false, true])
    const u1 = bktUpdate(0.2, [right, guessQ2, right], DEFAULT_BKT)
    expect(decision.state.unitKnowledge.u1).toBeCloseTo(u1, 14)
    expect(decision.knowledge).toEqual([
      { unitId: 'u1', before: 0.2, after: decision.state.unitKnowledge.u1 },
      { unitId: 'u2', before: 0.2, after: 0.2 },
    ])
    expect(decision).toMatchObject({ rating: null, state: { status: 'in_progress', progress: 0 } })
  })

  it('grades only the attempt’s own questions, in its order', () => {
    const decision = decide(snapshot({ questions: ['q3', 'q1'] }), { q1: 2, q3: 'yes' }, now)
    expect(decision.grade.feedback.map((f) => f.questionId)).toEqual(['q3', 'q1'])
    expect(decision.grade).toMatchObject({ score: 2, maxScore: 2, passed: true })
  })

  it('gives no mastery credit for a question whose answer was already shown', () => {
    const shownAnHourAgo = recordSubmission(
      {},
      [{ questionId: 'q2', answered: false, revealed: true, credited: true }],
      now.getTime() - 3_600_000,
    )
    const decision = decide(snapshot({ history: shownAnHourAgo }), { q1: 2, q2: 'b', q3: 'yes' }, now)
    expect(decision.grade.feedback.map((f) => f.credited)).toEqual([true, false, true])
    expect(decision.grade.score).toBe(3) // it still counts toward the score
    expect(decision.state.unitKnowledge.u1).toBeCloseTo(bktUpdate(0.2, [right, right], DEFAULT_BKT), 14)
  })

  it('an empty submit then a retake with the keys it showed: no knowledge gained', () => {
    const first = decide(snapshot(), {}, now)
    expect(first.grade.feedback.every((f) => f.revealed)).toBe(true) // practice: answers always shown
    const history = recordSubmission({}, first.grade.feedback, now.getTime())
    const retake = decide(snapshot({ state: first.state, history }), { q1: 2, q2: 'b', q3: 'yes' }, now)
    expect(retake.grade.passed).toBe(true)
    expect(retake.state.unitKnowledge.u1).toBe(first.state.unitKnowledge.u1)
    expect(retake.state.masteryScore).toBe(first.state.masteryScore)
  })

  it('reveals by the review policy: after a pass only the answered ones, never under never, correctness as set', () => {
    const afterPass = { correctness: true, answers: 'after_pass' } as const
    const failed = decide(snapshot({ feedbackPolicy: afterPass }), { q1: 2 }, now)
    expect(failed.grade.feedback.map((f) => f.revealed)).toEqual([false, false, false])
    // Two of three right passes at 0.6: the two answered questions are revealed, the unanswered one is not.
    const passed = decide(
      snapshot({ feedbackPolicy: afterPass, content: { ...content, passingScore: 0.6 } }),
      { q1: 2, q2: 'b' },
      now,
    )
    expect(passed.grade.passed).toBe(true)
    expect(passed.grade.feedback.map((f) => f.revealed)).toEqual([true, true, false])
    const never = decide(
      snapshot({ feedbackPolicy: { correctness: false, answers: 'never' } }),
      { q1: 2, q2: 'b' },
      now,
    )
    expect(never.grade.feedback.map((f) => [f.revealed, f.marked])).toEqual([
      [false, false],
      [false, false],
      [false, false],
    ])
  })

  it('masters the skill when every unit is learned, and names the FSRS rating of the first review', () => {
    const decision = decide(
      snapshot({ state: state({ unitKnowledge: { u1: 0.9, u2: 0.97 } }) }),
      { q1: 2, q2: 'b', q3: 'yes' },
      now,
    )
    expect(decision).toMatchObject({ rating: 'easy', state: { status: 'mastered', reps: 1 } })
  })

  it('is pure: the same inputs give the same decision, and the snapshot is left as it was', () => {
    const input = snapshot({ state: state({ unitKnowledge: { u1: 0.5 } }) })
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
    // A review policy that shows nothing: every attempt is credited.
    const never = { correctness: true, answers: 'never' } as const
    for (const answers of submissions) {
      current = decide(snapshot({ state: current, feedbackPolicy: never }), answers, now).state
    }
    const observations = [right, wrong, wrong, right, right, wrong, right, right, right].map((o, i) =>
      i % 3 === 1 ? { ...o, pGuess: 0.5 } : o,
    )
    expect(current?.unitKnowledge.u1).toBeCloseTo(bktUpdate(0.2, observations, DEFAULT_BKT), 14)
  })
})
