/**
 * Moodle's calculated-question formulas (`{a} + {b}`, `{={a} * 2}` in texts) and ours (`a + b`,
 * `{= a * 2}`), one into the other. Moodle evaluates PHP, whose operators mostly agree with ours; where
 * they do not (`^` is XOR there, `%` truncates to integers), or where a function is not ours (pi, sin,
 * log, pow…), the question cannot cross and the reason says why.
 */
import { isReservedName } from '../content/expression.ts'

const OUR_FUNCTIONS = new Set(['min', 'max', 'abs', 'round', 'floor', 'ceil', 'sqrt'])

export class FormulaError extends Error {}

/** Moodle's formula as ours: `{a}` becomes `a`; functions must be ours. */
export function fromMoodleFormula(formula: string, variables: ReadonlySet<string>): string {
  const ours = formula.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, name: string) => {
    if (!variables.has(name)) throw new FormulaError(`{${name}} is not one of its datasets`)
    return name
  })
  for (const [, name] of ours.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    if (!OUR_FUNCTIONS.has(name as string))
      throw new FormulaError(`it uses ${name}(), which our expressions lack`)
  }
  for (const [name] of ours.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    if (!variables.has(name) && !OUR_FUNCTIONS.has(name))
      throw new FormulaError(`it uses ${name}, which our expressions lack`)
  }
  if (/\*\*|\^|%|[<>=!&|?]/.test(ours))
    throw new FormulaError('it uses an operator our expressions read differently')
  return ours
}

/** Our expression as Moodle's formula, or a FormulaError when PHP would read it differently. */
export function toMoodleFormula(expression: string, variables: ReadonlySet<string>): string {
  if (/\^|%|[<>=!]/.test(expression) || /\b(and|or|not)\b/.test(expression)) {
    throw new FormulaError('it uses an operator Moodle reads differently (^, %, comparisons or logic)')
  }
  return expression.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (name) => {
    if (variables.has(name)) return `{${name}}`
    if (isReservedName(name)) return name
    throw new FormulaError(`${name} is not a variable`)
  })
}

/** A text's `{= …}` parts converted with `convert`; `{a}` placeholders read the same in both. */
export const mapFormulasInText = (text: string, convert: (formula: string) => string) =>
  text.replace(
    /\{=((?:[^{}]|\{[A-Za-z_][A-Za-z0-9_]*\})*)\}/g,
    (_, formula: string) => `{=${convert(formula)}}`,
  )
