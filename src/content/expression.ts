/**
 * The small, safe expression language of parameterised questions: answers (`a + b`), computed texts
 * (`{= a * b}`) and constraints (`a > b and a + b <= 10`).
 *
 *   numbers          3, 0.5, 1e3
 *   variables        the question's declared ones, and nothing else: no property access, no globals
 *   operators        + - * / % ^ and parentheses; ^ is right-associative and binds tighter than a
 *                    unary minus (-2^2 is -4); % takes the sign of the dividend
 *   functions        min max abs round floor ceil sqrt; round half away from zero, round(x, n) to n
 *                    decimals
 *   constraints      < <= > >= == != and, or, not
 *
 * Parsing refuses a source over MAX_LENGTH characters or nested over MAX_DEPTH, and any name not
 * declared. Evaluating refuses a division by zero, NaN or an infinite value: that instance is invalid
 * (and skipped when drawn). Both throw ExpressionError and nothing else; values are looked up in a
 * Map, so no name ever reaches an object's prototype.
 */

export const MAX_LENGTH = 500
export const MAX_DEPTH = 32

export type ExpressionProblem = 'syntax' | 'unknown_name' | 'too_long' | 'too_deep' | 'type' | 'not_finite'

export class ExpressionError extends Error {
  constructor(
    readonly problem: ExpressionProblem,
    message: string,
  ) {
    super(message)
    this.name = 'ExpressionError'
  }
}

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'variable'; name: string }
  | { kind: 'unary'; op: '-' | 'not'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'call'; name: FunctionName; args: Node[] }

/** A parsed expression: evaluate it with `evaluate`. */
export type Expression = { readonly source: string; readonly root: Node }

const FUNCTIONS = {
  min: [1, 20],
  max: [1, 20],
  abs: [1, 1],
  round: [1, 2],
  floor: [1, 1],
  ceil: [1, 1],
  sqrt: [1, 1],
} as const
type FunctionName = keyof typeof FUNCTIONS
const isFunction = (name: string): name is FunctionName => Object.hasOwn(FUNCTIONS, name)

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([A-Za-z_]\w*)|(<=|>=|==|!=|[-+*/%^(),<>]))/y

type Token = { kind: 'number' | 'name' | 'symbol'; text: string; at: number }

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex
    if (/^\s*$/.test(source.slice(at))) break
    const match = TOKEN.exec(source)
    if (!match)
      throw new ExpressionError('syntax', `Unexpected character at ${at + 1}: ${source.slice(at).trim()[0]}`)
    const [, number, name, symbol] = match
    if (number !== undefined) tokens.push({ kind: 'number', text: number, at })
    else if (name !== undefined) tokens.push({ kind: 'name', text: name, at })
    else tokens.push({ kind: 'symbol', text: symbol as string, at })
  }
  return tokens
}

/** Binary operators by binding power, loosest first. */
const BINARY = new Map([
  ['or', 1],
  ['and', 2],
  ...['<', '<=', '>', '>=', '==', '!='].map((op) => [op, 4] as const),
  ['+', 5],
  ['-', 5],
  ['*', 6],
  ['/', 6],
  ['%', 6],
])

/** Words of the language: never a variable's name. */
const RESERVED: ReadonlySet<string> = new Set(['and', 'or', 'not', ...Object.keys(FUNCTIONS)])
export const isReservedName = (name: string) => RESERVED.has(name)
const NOT_POWER = 3
const UNARY_MINUS_POWER = 7

/** Parses `source`, refusing every name not in `variables`. */
export function parseExpression(source: string, variables: ReadonlySet<string>): Expression {
  if (source.length > MAX_LENGTH)
    throw new ExpressionError('too_long', `Longer than ${MAX_LENGTH} characters.`)
  const tokens = tokenize(source)
  let next = 0
  const peek = () => tokens[next]
  const take = (text?: string) => {
    const token = tokens[next]
    if (!token || (text !== undefined && token.text !== text)) {
      throw new ExpressionError(
        'syntax',
        token ? `Expected ${text} at ${token.at + 1}.` : `Expected ${text ?? 'more'} at the end.`,
      )
    }
    next++
    return token
  }
  const expression = (minPower: number, depth: number): Node => {
    if (depth > MAX_DEPTH) throw new ExpressionError('too_deep', `Nested deeper than ${MAX_DEPTH}.`)
    let left = prefix(depth)
    for (let token = peek(); token && (BINARY.get(token.text) ?? 0) > minPower; token = peek()) {
      next++
      left = {
        kind: 'binary',
        op: token.text,
        left,
        right: expression(BINARY.get(token.text) ?? 0, depth + 1),
      }
    }
    return left
  }
  const prefix = (depth: number): Node => {
    if (depth > MAX_DEPTH) throw new ExpressionError('too_deep', `Nested deeper than ${MAX_DEPTH}.`)
    const token = take()
    if (token.text === '-')
      return { kind: 'unary', op: '-', operand: expression(UNARY_MINUS_POWER - 1, depth + 1) }
    if (token.text === 'not') return { kind: 'unary', op: 'not', operand: expression(NOT_POWER, depth + 1) }
    return power(primary(token, depth), depth)
  }
  // ^ binds tighter than a unary minus on its left, and is right-associative: its exponent is a prefix expression.
  const power = (base: Node, depth: number): Node => {
    if (peek()?.text !== '^') return base
    next++
    return { kind: 'binary', op: '^', left: base, right: prefix(depth + 1) }
  }
  const primary = (token: Token, depth: number): Node => {
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text) }
    if (token.text === '(') {
      const inner = expression(0, depth + 1)
      take(')')
      return inner
    }
    if (token.kind === 'name' && isFunction(token.text) && peek()?.text === '(')
      return call(token.text, depth)
    if (RESERVED.has(token.text))
      throw new ExpressionError('syntax', `Unexpected “${token.text}” at ${token.at + 1}.`)
    if (token.kind === 'name' && variables.has(token.text)) return { kind: 'variable', name: token.text }
    if (token.kind === 'name')
      throw new ExpressionError('unknown_name', `Unknown name “${token.text}”: declare it as a variable.`)
    throw new ExpressionError('syntax', `Unexpected “${token.text}” at ${token.at + 1}.`)
  }
  const call = (name: FunctionName, depth: number): Node => {
    take('(')
    const args = [expression(0, depth + 1)]
    while (peek()?.text === ',') {
      next++
      args.push(expression(0, depth + 1))
    }
    take(')')
    const [least, most] = FUNCTIONS[name]
    if (args.length < least || args.length > most) {
      throw new ExpressionError(
        'syntax',
        `${name} takes ${least === most ? least : `${least} to ${most}`} arguments.`,
      )
    }
    return { kind: 'call', name, args }
  }
  const root = expression(0, 0)
  if (next < tokens.length) {
    const token = tokens[next] as Token
    throw new ExpressionError('syntax', `Unexpected “${token.text}” at ${token.at + 1}.`)
  }
  return { source, root }
}

export type Value = number | boolean

const finite = (value: number) => {
  if (!Number.isFinite(value))
    throw new ExpressionError('not_finite', 'A division by zero, or a value out of range.')
  return value
}

const numberOf = (value: Value) => {
  if (typeof value !== 'number') throw new ExpressionError('type', 'A number was expected, not a comparison.')
  return value
}

const booleanOf = (value: Value) => {
  if (typeof value !== 'boolean')
    throw new ExpressionError('type', 'A comparison was expected, not a number.')
  return value
}

/** Rounds half away from zero, to `decimals` places (0 to 10). */
export function roundHalfAway(x: number, decimals = 0): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new ExpressionError('type', 'round(x, n) takes a whole number of decimals from 0 to 10.')
  }
  const magnitude = Math.abs(x)
  // Through the decimal text, so that 1.005 rounds to 1.01 as written, not as its binary value.
  const text = String(magnitude)
  const rounded = text.includes('e')
    ? Math.round(magnitude * 10 ** decimals) / 10 ** decimals
    : Number(`${Math.round(Number(`${text}e${decimals}`))}e-${decimals}`)
  return Math.sign(x) * rounded
}

const CALLS: Record<FunctionName, (args: number[]) => number> = {
  min: (args) => Math.min(...args),
  max: (args) => Math.max(...args),
  abs: ([x = 0]) => Math.abs(x),
  round: ([x = 0, decimals = 0]) => roundHalfAway(x, decimals),
  floor: ([x = 0]) => Math.floor(x),
  ceil: ([x = 0]) => Math.ceil(x),
  sqrt: ([x = 0]) => Math.sqrt(x),
}

function arithmetic(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b
    case '-':
      return a - b
    case '*':
      return a * b
    case '/':
      return a / b
    case '%':
      return a % b // the sign of the dividend, as JavaScript's remainder has it
    case '^':
      return a ** b
  }
  throw new ExpressionError('syntax', `Unknown operator ${op}.`)
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
    case '==':
      return a === b
    default:
      return a !== b
  }
}

function evaluateNode(node: Node, values: ReadonlyMap<string, number>): Value {
  switch (node.kind) {
    case 'number':
      return finite(node.value)
    case 'variable': {
      const value = values.get(node.name)
      if (value === undefined) throw new ExpressionError('unknown_name', `No value for “${node.name}”.`)
      return finite(value)
    }
    case 'unary': {
      const operand = evaluateNode(node.operand, values)
      return node.op === 'not' ? !booleanOf(operand) : finite(-numberOf(operand))
    }
    case 'call':
      return finite(CALLS[node.name](node.args.map((arg) => numberOf(evaluateNode(arg, values)))))
    case 'binary': {
      const left = evaluateNode(node.left, values)
      if (node.op === 'and') return booleanOf(left) && booleanOf(evaluateNode(node.right, values))
      if (node.op === 'or') return booleanOf(left) || booleanOf(evaluateNode(node.right, values))
      const right = numberOf(evaluateNode(node.right, values))
      if (BINARY.get(node.op) === 4) return compare(node.op, numberOf(left), right)
      return finite(arithmetic(node.op, numberOf(left), right))
    }
  }
}

/**
 * The value of `expression` for one instance's `values`: a number, or a boolean for a comparison.
 * Throws ExpressionError (`not_finite`: the instance is invalid; `type`: a number where a comparison
 * was expected, or the other way round).
 */
export function evaluate(expression: Expression, values: ReadonlyMap<string, number>): Value {
  return evaluateNode(expression.root, values)
}
