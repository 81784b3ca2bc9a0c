/**
 * Parameterised questions: a question that declares `variables` is a template, and each attempt
 * answers an instance of it — its variables bound to values drawn for the attempt (instances.ts),
 * its texts rendered (template.ts), its numeric answer computed (expression.ts).
 *
 * This module parses and renders a question's templates: `templateProblems` (what the schema
 * refuses), `render` (one instance of a question for given values), `masked` (the public view).
 * Drawing an attempt's instances and putting them in place is bindings.ts.
 *
 * An instance is valid when its constraints hold, every text and the answer compute (no division by
 * zero, nothing infinite) and its choice texts are distinct; invalid ones are skipped when drawn.
 */
import { type Expression, ExpressionError, evaluate, parseExpression, roundHalfAway } from './expression.ts'
import type { InstanceSpec, Values } from './instances.ts'
import type { Question } from './schema.ts'
import { parseTemplate, renderTemplate, type TemplatePart } from './template.ts'

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

/** Values as `question` shows (and grades) them. */
export const shownValuesOf = (question: Question, values: Values) => shownValues(compile(question), values)

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
        ...(c.feedback !== undefined && { feedback: c.feedback }),
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

/** A template's text with every placeholder as "…": what the public view of the activity shows. */
export function masked(question: Question, text: string): string {
  const parts = parseTemplate(text, new Set(Object.keys(question.variables ?? {})))
  return parts.map((part) => (typeof part === 'string' ? part : '…')).join('')
}
