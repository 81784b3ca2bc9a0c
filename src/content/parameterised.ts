/**
 * Parameterised questions: a question that declares `variables` is a template, and each attempt
 * answers an instance of it — its variables bound to values drawn for the attempt (instances.ts),
 * its texts rendered (template.ts), its numeric answer computed (expression.ts).
 *
 * - `drawBindings` binds the attempt's questions from its seed and ordinal: the ordinal-th valid
 *   instance of a seed-keyed permutation, so a retake is a new instance by construction. Choice
 *   questions get ids of this attempt's own, so an id probed or revealed once ("b") is not the key
 *   of the next instance.
 * - `instantiate` turns content and bindings into plain content, which grading and the learner's
 *   views take as they take any other: nothing downstream knows a template.
 * - Submit stores the bindings with the attempt; history, replays and exports read them back and
 *   never draw again, so a change here cannot rewrite the past.
 *
 * An instance is valid when its constraints hold, every text and the answer compute (no division by
 * zero, nothing infinite) and its choice texts are distinct; invalid ones are skipped when drawn.
 */
import { type Expression, ExpressionError, evaluate, parseExpression, roundHalfAway } from './expression.ts'
import { drawInstance, type InstanceSpec, prng, type Values } from './instances.ts'
import type { ActivityContent, Question } from './schema.ts'
import { parseTemplate, renderTemplate, type TemplatePart } from './template.ts'

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

export const isParameterised = (question: Question) => question.variables !== undefined

type Path = (string | number)[]
type Field = { path: Path; source: string; kind: 'text' | 'expression' }

/** Every text and expression of a question that placeholders or variables may appear in. */
function templatedFields(question: Question): Field[] {
  const text = (path: Path, source: string): Field => ({ path, source, kind: 'text' })
  const expression = (path: Path, source: string): Field => ({ path, source, kind: 'expression' })
  return [
    text(['prompt'], question.prompt),
    ...(question.explanation === undefined ? [] : [text(['explanation'], question.explanation)]),
    ...('choices' in question ? question.choices.map((c, i) => text(['choices', i, 'text'], c.text)) : []),
    ...(question.kind === 'short_text'
      ? question.acceptedAnswers.map((answer, i) => text(['acceptedAnswers', i], answer))
      : []),
    ...(question.kind === 'numeric' && typeof question.answer === 'string'
      ? [expression(['answer'], question.answer)]
      : []),
    ...(question.constraints ?? []).map((source, i) => expression(['constraints', i], source)),
  ]
}

/** What does not parse, or names what the question does not declare, with where it is. */
export function templateProblems(question: Question): { path: Path; message: string }[] {
  if (!question.variables) {
    return [
      ...(question.constraints ? [{ path: ['constraints'], message: 'constraints need variables' }] : []),
      ...(question.kind === 'numeric' && typeof question.answer === 'string'
        ? [{ path: ['answer'], message: 'an expression needs variables: declare them, or give a number' }]
        : []),
    ]
  }
  const names = new Set(Object.keys(question.variables))
  return templatedFields(question).flatMap(({ path, source, kind }) => {
    try {
      if (kind === 'text') parseTemplate(source, names)
      else parseExpression(source, names)
      return []
    } catch (error) {
      if (error instanceof ExpressionError) return [{ path, message: error.message }]
      throw error
    }
  })
}

type Compiled = {
  spec: InstanceSpec
  decimals: Map<string, number>
  prompt: TemplatePart[]
  explanation?: TemplatePart[]
  choices: TemplatePart[][]
  accepted: TemplatePart[][]
  answer?: Expression
}

/** Parsed once per question object: stored content is immutable, and cached per version. */
const compiledQuestions = new WeakMap<Question, Compiled>()

function compile(question: Question): Compiled {
  const known = compiledQuestions.get(question)
  if (known) return known
  const variables = Object.entries(question.variables ?? {})
  const names = new Set(variables.map(([name]) => name))
  const template = (text: string) => parseTemplate(text, names)
  const compiled: Compiled = {
    spec: {
      variables,
      constraints: (question.constraints ?? []).map((source) => parseExpression(source, names)),
    },
    decimals: new Map(
      variables.flatMap(([name, spec]) =>
        'decimals' in spec && spec.decimals !== undefined ? [[name, spec.decimals] as const] : [],
      ),
    ),
    prompt: template(question.prompt),
    ...(question.explanation !== undefined && { explanation: template(question.explanation) }),
    choices: 'choices' in question ? question.choices.map((c) => template(c.text)) : [],
    accepted: question.kind === 'short_text' ? question.acceptedAnswers.map(template) : [],
    ...(question.kind === 'numeric' &&
      typeof question.answer === 'string' && { answer: parseExpression(question.answer, names) }),
  }
  compiledQuestions.set(question, compiled)
  return compiled
}

/** An instance that does not compute, with the field that does not. */
export class InvalidInstance extends ExpressionError {
  constructor(
    readonly path: Path,
    cause: ExpressionError,
  ) {
    super(cause.problem, cause.message)
  }
}

/** `compute()` for the field at `path`, its failure named after the field. */
function at<T>(path: Path, compute: () => T): T {
  try {
    return compute()
  } catch (error) {
    if (error instanceof ExpressionError && !(error instanceof InvalidInstance))
      throw new InvalidInstance(path, error)
    throw error
  }
}

/** The parsed spec of a question's variables and constraints. */
export const instanceSpec = (question: Question) => compile(question).spec

const numbersOf = (values: Values) =>
  new Map([...values].filter((entry): entry is [string, number] => typeof entry[1] === 'number'))

/** Values as the question shows them: a variable that declares `decimals` rounded to them, as graded. */
function shownValues(compiled: Compiled, values: Values): Values {
  return new Map(
    [...values].map(([name, value]) => {
      const decimals = compiled.decimals.get(name)
      return [
        name,
        typeof value === 'number' && decimals !== undefined ? roundHalfAway(value, decimals) : value,
      ]
    }),
  )
}

/** The question for `values`, with its authored ids; throws ExpressionError when the instance is invalid. */
export function render(question: Question, drawn: Values): Question {
  const compiled = compile(question)
  const values = shownValues(compiled, drawn)
  const instance = { values, decimals: compiled.decimals }
  const text = (path: Path, parts: TemplatePart[]) => at(path, () => renderTemplate(parts, instance))
  const { variables: _variables, constraints: _constraints, ...fixed } = question
  const common = {
    prompt: text(['prompt'], compiled.prompt),
    ...(compiled.explanation && { explanation: text(['explanation'], compiled.explanation) }),
  }
  switch (fixed.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      const choices = fixed.choices.map((c, i) => ({
        id: c.id,
        text: text(['choices', i, 'text'], compiled.choices[i] ?? []),
      }))
      const texts = new Set(choices.map((c) => c.text.trim().toLocaleLowerCase('en')))
      if (texts.size < choices.length)
        throw new InvalidInstance(['choices'], new ExpressionError('type', 'Two choices read the same.'))
      return { ...fixed, ...common, choices }
    }
    case 'numeric': {
      const expression = compiled.answer
      if (!expression) return { ...fixed, ...common }
      const answer = at(['answer'], () => evaluate(expression, numbersOf(values)))
      if (typeof answer !== 'number') {
        const problem = new ExpressionError('type', 'The answer must be a number, not a comparison.')
        throw new InvalidInstance(['answer'], problem)
      }
      return { ...fixed, ...common, answer }
    }
    case 'short_text':
      return {
        ...fixed,
        ...common,
        acceptedAnswers: compiled.accepted.map((parts, i) => text(['acceptedAnswers', i], parts)),
      }
  }
}

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
  const drawn = drawInstance(compile(question).spec, seed ^ hash(question.id), ordinal, (values) =>
    renders(question, values),
  )
  if (!drawn) return null
  return {
    values: Object.fromEntries(shownValues(compile(question), drawn.values)),
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

/** A template's text with every placeholder as "…": what the public view of the activity shows. */
export function masked(question: Question, text: string): string {
  const parts = parseTemplate(text, new Set(Object.keys(question.variables ?? {})))
  return parts.map((part) => (typeof part === 'string' ? part : '…')).join('')
}
