/**
 * An attempt's instances of its parameterised questions (parameterised.ts renders one):
 *
 * - `drawBindings` binds the attempt's questions from its seed and ordinal: the ordinal-th valid
 *   instance of a seed-keyed permutation, so a retake is a new instance by construction. Choice
 *   questions get ids of this attempt's own, so an id probed or revealed once ("b") is not the key
 *   of the next instance.
 * - `instantiate` turns content and bindings into plain content, which grading and the learner's
 *   views take as they take any other: nothing downstream knows a template.
 * - Submit stores the bindings with the attempt; history, replays and exports read them back and
 *   never draw again, so a change here cannot rewrite the past.
 */
import { ExpressionError } from './expression.ts'
import { drawInstance, prng, type Values } from './instances.ts'
import { instanceSpec, isParameterised, render, shownValuesOf } from './parameterised.ts'
import type { ActivityContent, Question } from './schema.ts'

/** What one question of an attempt was bound to. */
export type Binding = {
  /** Each variable's value, as shown and graded. */
  values: Record<string, number | string>
  /** Choice questions: each choice's id in this attempt → its authored id. */
  choices?: Record<string, string>
  /** 0 until every instance of the question has been drawn; a later cycle repeats instances. */
  cycle: number
}
export type Bindings = Record<string, Binding>

/** A question of an attempt, as drawn at its start (db/schema.ts `DrawnQuestion`). */
type Drawn = { id: string; choices?: string[] }

/** Whether `values` make a valid instance of `question`. */
function renders(question: Question, values: Values): boolean {
  try {
    render(question, values)
    return true
  } catch (error) {
    if (error instanceof ExpressionError) return false
    throw error
  }
}

/** FNV-1a: a question's own stream of draws from the attempt's seed. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Choice ids of this attempt's own: five base-36 characters each, distinct within the question. */
function attemptChoiceIds(question: Question & { choices: { id: string }[] }, seed: number, ordinal: number) {
  const next = prng(seed ^ hash(`${question.id}#${ordinal}`))
  const ids: Record<string, string> = {}
  for (const choice of question.choices) {
    let id: string
    do id = `c${(next() % 36 ** 5).toString(36).padStart(5, '0')}`
    while (Object.hasOwn(ids, id))
    ids[id] = choice.id
  }
  return ids
}

/** One question's binding for an attempt; null when no instance is valid (refused when saved). */
export function drawBinding(question: Question, seed: number, ordinal: number): Binding | null {
  const drawn = drawInstance(instanceSpec(question), seed ^ hash(question.id), ordinal, (values) =>
    renders(question, values),
  )
  if (!drawn) return null
  return {
    values: Object.fromEntries(shownValuesOf(question, drawn.values)),
    ...('choices' in question && { choices: attemptChoiceIds(question, seed, ordinal) }),
    cycle: drawn.cycle,
  }
}

/** The bindings of an attempt's parameterised questions, drawn from its seed and ordinal. */
export function drawBindings(
  content: ActivityContent,
  questionIds: readonly string[],
  seed: number,
  ordinal: number,
): Bindings {
  const asked = new Set(questionIds)
  const bindings: Bindings = {}
  for (const question of content.questions) {
    if (!asked.has(question.id) || !isParameterised(question)) continue
    const binding = drawBinding(question, seed, ordinal)
    if (binding) bindings[question.id] = binding
  }
  return bindings
}

/** A bound question with this attempt's choice ids (its key mapped to them). */
function boundQuestion(question: Question, binding: Binding): Question {
  const rendered = render(question, new Map(Object.entries(binding.values)))
  if (!('choices' in rendered) || !binding.choices) return rendered
  const shownId = new Map(Object.entries(binding.choices).map(([shown, authored]) => [authored, shown]))
  const shown = (id: string) => shownId.get(id) ?? id
  const choices = rendered.choices.map((c) => ({ ...c, id: shown(c.id) }))
  return rendered.kind === 'single_choice'
    ? { ...rendered, choices, answer: shown(rendered.answer) }
    : { ...rendered, choices, answers: rendered.answers.map(shown) }
}

/** Content with the attempt's instances in place of templates, and its drawn choices in its own ids. */
export function instantiate(
  content: ActivityContent,
  drawn: readonly Drawn[],
  bindings: Bindings,
): { content: ActivityContent; drawn: Drawn[] } {
  const questions = content.questions.map((q) => {
    const binding = Object.hasOwn(bindings, q.id) ? bindings[q.id] : undefined
    return binding ? boundQuestion(q, binding) : q
  })
  return {
    content: { ...content, questions },
    drawn: drawn.map(({ id, choices }) => {
      const binding = Object.hasOwn(bindings, id) ? bindings[id] : undefined
      if (!choices || !binding?.choices) return { id, ...(choices && { choices }) }
      const shownId = new Map(Object.entries(binding.choices).map(([shown, authored]) => [authored, shown]))
      return { id, choices: choices.map((choice) => shownId.get(choice) ?? choice) }
    }),
  }
}

/** The stored bindings of a submitted attempt, or those its seed and ordinal draw while in progress. */
export function attemptBindings(
  content: ActivityContent,
  attempt: { questions: readonly Drawn[]; seed: number | null; ordinal: number | null; bindings: unknown },
): Bindings {
  if (attempt.bindings) return attempt.bindings as Bindings
  if (attempt.seed === null) return {}
  return drawBindings(
    content,
    attempt.questions.map((q) => q.id),
    attempt.seed,
    attempt.ordinal ?? 0,
  )
}
