/** Instances of parameterised questions (src/content/instances.ts): values, constraints, and draws by seed and ordinal. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ExpressionError, parseExpression } from '../src/content/expression.ts'
import {
  drawInstance,
  type InstanceSpec,
  MAX_SPACE,
  MAX_VALUES,
  satisfies,
  spaceSize,
  valuesOf,
} from '../src/content/instances.ts'

const spec = (
  variables: Record<string, { min: number; max: number; step: number } | { choices: (number | string)[] }>,
  constraints: string[] = [],
): InstanceSpec => {
  const names = new Set(Object.keys(variables))
  return {
    variables: Object.entries(variables),
    constraints: constraints.map((source) => parseExpression(source, names)),
  }
}

const key = (values: ReadonlyMap<string, number | string>) => JSON.stringify([...values])

describe('instances of a parameterised question', () => {
  it('takes min + k·step up to max, rounded to the step’s decimals, or the choices', () => {
    expect(valuesOf({ min: 1, max: 5, step: 2 })).toEqual([1, 3, 5])
    expect(valuesOf({ min: 0, max: 1, step: 0.1 })).toEqual([
      0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ])
    expect(valuesOf({ choices: ['red', 'blue'] })).toEqual(['red', 'blue'])
    expect(valuesOf({ min: 1, max: MAX_VALUES, step: 1 })).toHaveLength(MAX_VALUES)
    expect(() => valuesOf({ min: 0, max: MAX_VALUES, step: 1 })).toThrow(ExpressionError)
    expect(() =>
      spaceSize(spec({ a: { min: 1, max: 1000, step: 1 }, b: { min: 1, max: 1000, step: 1 } })),
    ).toThrow(`At most ${MAX_SPACE}`)
  })

  it('draws the same instance for the same seed and ordinal, and one that satisfies the constraints', () => {
    const question = spec({ a: { min: 1, max: 9, step: 1 }, b: { min: 1, max: 9, step: 1 } }, [
      'a > b',
      'a + b <= 10',
    ])
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat({ max: 200 }), (seed, ordinal) => {
        const drawn = drawInstance(question, seed, ordinal)
        expect(drawn).not.toBeNull()
        expect(key(drawn?.values ?? new Map())).toBe(
          key(drawInstance(question, seed, ordinal)?.values ?? new Map()),
        )
        expect(satisfies(question, drawn?.values ?? new Map())).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('gives every ordinal of a cycle a new instance, then starts a new cycle over the same ones', () => {
    const question = spec({ a: { min: 1, max: 6, step: 1 }, b: { choices: [1, 2, 3] } }, ['a != b'])
    // 6 × 3 combinations, of which 3 have a == b.
    const valid = 15
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const draws = (from: number) =>
          Array.from({ length: valid }, (_, i) =>
            key(drawInstance(question, seed, from + i)?.values ?? new Map()),
          )
        const first = draws(0)
        const second = draws(valid)
        expect(new Set(first).size).toBe(valid)
        expect(new Set(second)).toEqual(new Set(first))
      }),
      { numRuns: 50 },
    )
  })

  it('orders instances differently for different seeds', () => {
    const question = spec({ a: { min: 1, max: 20, step: 1 }, b: { min: 1, max: 20, step: 1 } })
    const firsts = new Set(
      Array.from({ length: 20 }, (_, seed) =>
        key(drawInstance(question, seed * 7919, 0)?.values ?? new Map()),
      ),
    )
    expect(firsts.size).toBeGreaterThan(10)
  })

  it('has no instance when no combination satisfies the constraints, or every one divides by zero', () => {
    expect(drawInstance(spec({ a: { min: 1, max: 3, step: 1 } }, ['a > 5']), 1, 0)).toBeNull()
    expect(drawInstance(spec({ a: { min: 0, max: 0, step: 1 } }, ['1 / a > 0']), 1, 0)).toBeNull()
  })
})
