/** The expression language of parameterised questions (src/content/expression.ts): its pinned semantics, limits and safety. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ExpressionError,
  evaluate,
  MAX_DEPTH,
  MAX_LENGTH,
  parseExpression,
  roundHalfAway,
  type Value,
} from '../src/content/expression.ts'
import { formatNumber, parseTemplate, renderTemplate } from '../src/content/template.ts'

const run = (source: string, values: Record<string, number> = {}): Value =>
  evaluate(parseExpression(source, new Set(Object.keys(values))), new Map(Object.entries(values)))

const problemOf = (source: string, values: Record<string, number> = {}) => {
  try {
    run(source, values)
  } catch (error) {
    if (error instanceof ExpressionError) return error.problem
    throw error
  }
  return null
}

describe('the expression language', () => {
  it('computes with numbers, variables, operators and functions', () => {
    expect(run('a + b * 2', { a: 1, b: 3 })).toBe(7)
    expect(run('(a + b) * 2', { a: 1, b: 3 })).toBe(8)
    expect(run('min(4, a, 9) + max(2, 5) + abs(-3)', { a: 1 })).toBe(9)
    expect(run('floor(2.7) + ceil(2.1) + sqrt(16)')).toBe(9)
    expect(run('1e3 / .5')).toBe(2000)
  })

  it('pins ^ as right-associative and tighter than a unary minus, and % as the sign of the dividend', () => {
    expect(run('-2^2')).toBe(-4)
    expect(run('2^3^2')).toBe(512)
    expect(run('2^-1')).toBe(0.5)
    expect(run('(-2)^2')).toBe(4)
    expect(run('-7 % 3')).toBe(-1)
    expect(run('7 % -3')).toBe(1)
  })

  it('rounds half away from zero, to n decimals as written', () => {
    expect([run('round(2.5)'), run('round(-2.5)'), run('round(2.4)')]).toEqual([3, -3, 2])
    expect([run('round(1.005, 2)'), run('round(-1.005, 2)'), run('round(0.125, 2)')]).toEqual([
      1.01, -1.01, 0.13,
    ])
    expect(roundHalfAway(1234.5678, 1)).toBe(1234.6)
    expect(problemOf('round(1.5, 0.5)')).toBe('type')
  })

  it('compares, and combines comparisons with and, or and not', () => {
    expect(run('a > b and a + b <= 10', { a: 5, b: 3 })).toBe(true)
    expect(run('a > b and a + b <= 10', { a: 7, b: 6 })).toBe(false)
    expect(run('not a == b or a != a', { a: 1, b: 1 })).toBe(false)
    expect(problemOf('1 + (2 > 1)')).toBe('type')
    expect(problemOf('not 3')).toBe('type')
  })

  it('makes an instance invalid on a division by zero, NaN or an infinite value', () => {
    for (const source of ['1 / 0', 'a % 0', 'sqrt(-1)', '10 ^ 400', '0 / 0'])
      expect(problemOf(source, { a: 3 }), source).toBe('not_finite')
  })

  it('names only declared variables: no globals, no prototype, no property access', () => {
    for (const source of ['constructor', '__proto__', 'toString', 'process', 'globalThis', 'Math'])
      expect(problemOf(source), source).toBe('unknown_name')
    expect(problemOf('a.b', { a: 1 })).toBe('syntax')
    expect(problemOf('a[0]', { a: 1 })).toBe('syntax')
    expect(problemOf('pi')).toBe('unknown_name')
    expect(problemOf('sin(1)')).toBe('unknown_name')
    // A declared variable is looked up in its own map, whatever it is called.
    expect(run('constructor * 2', { constructor: 3 })).toBe(6)
    // Words of the language are never variables.
    expect(problemOf('and + 1', { and: 1 })).toBe('syntax')
  })

  it('refuses what is too long or too deep, before evaluating anything', () => {
    expect(problemOf(`${'1+'.repeat(MAX_LENGTH / 2)}1`)).toBe('too_long')
    expect(problemOf(`${'('.repeat(MAX_DEPTH + 1)}1${')'.repeat(MAX_DEPTH + 1)}`)).toBe('too_deep')
    expect(problemOf(`${'-'.repeat(MAX_DEPTH + 1)}1`)).toBe('too_deep')
    expect(problemOf(`2${'^2'.repeat(MAX_DEPTH + 1)}`)).toBe('too_deep')
    expect(problemOf(`${'not '.repeat(MAX_DEPTH + 1)}1 > 0`)).toBe('too_deep')
  })

  it('never throws anything but ExpressionError, whatever the text (fast-check)', () => {
    const pieces = [
      'a',
      'b',
      '1',
      '0',
      '2.5',
      '+',
      '-',
      '*',
      '/',
      '%',
      '^',
      '(',
      ')',
      ',',
      ' ',
      '<',
      '<=',
      '==',
      'and',
      'or',
      'not',
      'min',
      'round',
      'sqrt',
      'x',
      '.',
      '[',
      ']',
      '__proto__',
      'constructor',
      'e',
      '"',
      '\u0000',
    ]
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
        fc.double({ noNaN: false }),
        fc.double(),
        (parts, a, b) => {
          const source = parts.join('')
          try {
            const value = evaluate(
              parseExpression(source, new Set(['a', 'b'])),
              new Map([
                ['a', a],
                ['b', b],
              ]),
            )
            expect(typeof value === 'boolean' || Number.isFinite(value)).toBe(true)
          } catch (error) {
            expect(error).toBeInstanceOf(ExpressionError)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('evaluates generated arithmetic as a reference evaluator does (fast-check)', () => {
    type Tree = number | { op: '+' | '-' | '*'; left: Tree; right: Tree } | { min: Tree[] }
    const tree = fc.letrec<{ tree: Tree }>((t) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer({ min: -50, max: 50 }),
        fc.record({ op: fc.constantFrom('+', '-', '*'), left: t('tree'), right: t('tree') }),
        fc.record({ min: fc.array(t('tree'), { minLength: 1, maxLength: 3 }) }),
      ),
    })).tree
    const print = (node: Tree): string =>
      typeof node === 'number'
        ? `(${node})`
        : 'op' in node
          ? `(${print(node.left)} ${node.op} ${print(node.right)})`
          : `min(${node.min.map(print).join(', ')})`
    const reference = (node: Tree): number =>
      typeof node === 'number'
        ? node
        : 'op' in node
          ? {
              '+': (x: number, y: number) => x + y,
              '-': (x: number, y: number) => x - y,
              '*': (x: number, y: number) => x * y,
            }[node.op](reference(node.left), reference(node.right))
          : Math.min(...node.min.map(reference))
    fc.assert(
      fc.property(tree, (node) => {
        const source = print(node)
        fc.pre(source.length <= MAX_LENGTH)
        try {
          expect(run(source)).toBe(reference(node))
        } catch (error) {
          // Only the limits may refuse a generated expression.
          expect(error).toBeInstanceOf(ExpressionError)
          expect(['too_deep', 'not_finite']).toContain((error as ExpressionError).problem)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('question templates', () => {
  const instance = (values: Record<string, number | string>, decimals: Record<string, number> = {}) => ({
    values: new Map(Object.entries(values)),
    decimals: new Map(Object.entries(decimals)),
  })
  const render = (text: string, values: Record<string, number | string>, decimals?: Record<string, number>) =>
    renderTemplate(parseTemplate(text, new Set(Object.keys(values))), instance(values, decimals))

  it('prints variables and expressions, and {{ }} as braces', () => {
    expect(render('What is {a} + {b}?', { a: 3, b: 4 })).toBe('What is 3 + 4?')
    expect(render('{a} × {b} = {= a * b}', { a: 6, b: 7 })).toBe('6 × 7 = 42')
    expect(render('A set: {{{a}}}', { a: 2 })).toBe('A set: {2}')
    expect(render('The {colour} ball', { colour: 'red' })).toBe('The red ball')
  })

  it('prints declared decimals, or at most 10 significant digits (0.1 + 0.2 shows as 0.3)', () => {
    expect(render('{= a + b}', { a: 0.1, b: 0.2 })).toBe('0.3')
    expect(render('{a}', { a: 2.5 }, { a: 2 })).toBe('2.50')
    expect(render('{= 1 / 3}', {})).toBe('0.3333333333')
    expect(formatNumber(2.675, 2)).toBe('2.68')
    expect(formatNumber(-0.5, 0)).toBe('-1')
  })

  it('refuses unbalanced braces and undeclared names, naming where', () => {
    for (const [text, problem] of [
      ['What is {a', 'syntax'],
      ['close } alone', 'syntax'],
      ['{c}', 'unknown_name'],
      ['{= a + c}', 'unknown_name'],
    ] as const) {
      expect(() => parseTemplate(text, new Set(['a']))).toThrow(ExpressionError)
      try {
        parseTemplate(text, new Set(['a']))
      } catch (error) {
        expect((error as ExpressionError).problem, text).toBe(problem)
      }
    }
  })

  it('invalidates an instance whose placeholder is not a finite number', () => {
    expect(() => render('{= a / b}', { a: 1, b: 0 })).toThrow(/division by zero/)
    expect(() => render('{= a > b}', { a: 1, b: 0 })).toThrow(/not a comparison/)
  })
})
