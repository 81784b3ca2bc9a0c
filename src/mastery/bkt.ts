/**
 * Bayesian Knowledge Tracing (Corbett & Anderson, 1995): P(L), the probability that the learner
 * knows the skill, updated by each graded question as one observation.
 *
 *   correct: P(L|c) = P(L)(1−S) / (P(L)(1−S) + (1−P(L))G)
 *   wrong:   P(L|w) = P(L)S / (P(L)S + (1−P(L))(1−G))
 *   then:    P(L) ← P(L|obs) + (1 − P(L|obs))·T
 *
 * P(L0) prior, T learning (transit), S slip, G guess. Defaults 0.2 / 0.15 / 0.1 / 0.2, overridable
 * per skill in `skills.metadata.bkt`. For a single-choice question G is at least 1/choices.
 */
import * as z from 'zod'

export type BktParameters = { pInit: number; pTransit: number; pSlip: number; pGuess: number }

export const DEFAULT_BKT: BktParameters = { pInit: 0.2, pTransit: 0.15, pSlip: 0.1, pGuess: 0.2 }

/** The largest effective guess of any question: 1/2, a single-choice question's fewest choices being two. */
const MAX_CHOICE_GUESS = 1 / 2

/** Mastery threshold on P(L). */
export const MASTERY_THRESHOLD = 0.95

const probability = z.number().gt(0).lt(1)

/** `skills.metadata.bkt`: any subset of the parameters, each strictly between 0 and 1. */
export const BktOverrides = z
  .strictObject({
    pInit: probability.optional(),
    pTransit: probability.optional(),
    pSlip: probability.optional(),
    pGuess: probability.optional(),
  })
  // With S + G ≥ 1 a correct answer would be evidence of *not* knowing: the model degenerates.
  .refine((p) => (p.pSlip ?? DEFAULT_BKT.pSlip) + (p.pGuess ?? DEFAULT_BKT.pGuess) < 1, {
    message: 'pSlip + pGuess must be below 1',
  })
  // …and so it does for every question's *effective* guess: a single-choice question of two choices
  // (the fewest content allows) is guessed half the time, whatever pGuess says. Held here, for the
  // largest guess any question can have, no activity saved later can make a wrong answer raise P(L).
  .refine(
    (p) => (p.pSlip ?? DEFAULT_BKT.pSlip) + Math.max(p.pGuess ?? DEFAULT_BKT.pGuess, MAX_CHOICE_GUESS) < 1,
    {
      message:
        'pSlip must stay below 0.5: a two-choice question is guessed half the time, and with pSlip + 0.5 ≥ 1 a wrong answer would raise P(L)',
      path: ['pSlip'],
    },
  )
  .meta({
    id: 'BktParameters',
    description:
      'Bayesian Knowledge Tracing parameters (defaults: pInit 0.2, pTransit 0.15, pSlip 0.1, pGuess 0.2).',
  })

/** The skill's parameters: its overrides on top of the defaults. Invalid stored overrides are ignored. */
export function bktParameters(skillMetadata: Record<string, unknown> | null | undefined): BktParameters {
  const parsed = BktOverrides.safeParse(skillMetadata?.bkt)
  return { ...DEFAULT_BKT, ...(parsed.success ? parsed.data : {}) }
}

/** One observation: was the question answered correctly, and its guess probability. */
export type Observation = { correct: boolean; pGuess: number }

/** One BKT step: the posterior given the observation, then the chance of learning. */
export function bktStep(
  pKnown: number,
  { correct, pGuess }: Observation,
  { pSlip, pTransit }: BktParameters,
) {
  const posterior = correct
    ? (pKnown * (1 - pSlip)) / (pKnown * (1 - pSlip) + (1 - pKnown) * pGuess)
    : (pKnown * pSlip) / (pKnown * pSlip + (1 - pKnown) * (1 - pGuess))
  return posterior + (1 - posterior) * pTransit
}

/** P(L) after a sequence of observations, in order; clamped to [0, 1] against rounding. */
export function bktUpdate(pKnown: number, observations: Observation[], parameters: BktParameters) {
  const p = observations.reduce((current, observation) => bktStep(current, observation, parameters), pKnown)
  return Math.min(1, Math.max(0, p))
}

/** Each graded question is one observation; a single-choice question can be guessed 1 time in n. */
export function observationsFor(
  questions: { kind: string; choices?: unknown[] }[],
  correct: boolean[],
  { pGuess }: BktParameters,
): Observation[] {
  return questions.map((question, i) => ({
    correct: correct[i] ?? false,
    pGuess:
      question.kind === 'single_choice' && question.choices
        ? Math.max(pGuess, 1 / question.choices.length)
        : pGuess,
  }))
}
