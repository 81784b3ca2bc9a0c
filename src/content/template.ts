/**
 * Texts of parameterised questions (prompt, choice texts, explanation, accepted answers) with
 * placeholders: `{a}` prints a variable, `{= a * b}` an expression; `{{` and `}}` are literal
 * braces. Only questions that declare variables are templates: other texts stay as they are, braces
 * and all.
 *
 * A number prints with its variable's declared `decimals`, or else with at most 10 significant
 * digits, so 0.1 + 0.2 shows as 0.3; grading uses the value as shown.
 */
import { type Expression, ExpressionError, evaluate, parseExpression, roundHalfAway } from './expression.ts'

export type TemplatePart = string | { variable: string } | { expression: Expression }

/** `text`'s literal parts and placeholders; a brace that opens or closes nothing is a syntax error. */
export function parseTemplate(text: string, variables: ReadonlySet<string>): TemplatePart[] {
  const parts: TemplatePart[] = []
  let literal = ''
  let at = 0
  while (at < text.length) {
    const char = text[at] as string
    const pair = text.slice(at, at + 2)
    if (pair === '{{' || pair === '}}') {
      literal += char
      at += 2
      continue
    }
    if (char === '}')
      throw new ExpressionError('syntax', `A “}” at ${at + 1} closes nothing (write }} for a brace).`)
    if (char !== '{') {
      literal += char
      at++
      continue
    }
    const end = text.indexOf('}', at)
    if (end < 0)
      throw new ExpressionError('syntax', `The “{” at ${at + 1} is never closed (write {{ for a brace).`)
    const inside = text.slice(at + 1, end)
    if (literal) parts.push(literal)
    literal = ''
    if (inside.startsWith('=')) parts.push({ expression: parseExpression(inside.slice(1), variables) })
    else if (variables.has(inside.trim())) parts.push({ variable: inside.trim() })
    else throw new ExpressionError('unknown_name', `“{${inside}}” names no declared variable.`)
    at = end + 1
  }
  if (literal) parts.push(literal)
  return parts
}

/** A number as a question shows it: to `decimals` places, or at most 10 significant digits. */
export function formatNumber(value: number, decimals?: number): string {
  if (decimals !== undefined) return roundHalfAway(value, decimals).toFixed(decimals)
  return String(Number(value.toPrecision(10)))
}

export type Instance = {
  /** Each variable's value in this instance: a number, or one of its text choices. */
  values: ReadonlyMap<string, number | string>
  /** The decimals a numeric variable declares, if any. */
  decimals: ReadonlyMap<string, number>
}

/** The numeric values of an instance, for expressions. */
const numericValues = ({ values }: Instance) =>
  new Map([...values].filter((entry): entry is [string, number] => typeof entry[1] === 'number'))

/** The text of `parts` for one instance; an expression that is not a number invalidates the instance. */
export function renderTemplate(parts: readonly TemplatePart[], instance: Instance): string {
  const numbers = numericValues(instance)
  return parts
    .map((part) => {
      if (typeof part === 'string') return part
      if ('variable' in part) {
        const value = instance.values.get(part.variable)
        return typeof value === 'number'
          ? formatNumber(value, instance.decimals.get(part.variable))
          : String(value)
      }
      const value = evaluate(part.expression, numbers)
      if (typeof value !== 'number')
        throw new ExpressionError('type', 'A placeholder must be a number, not a comparison.')
      return formatNumber(value)
    })
    .join('')
}
