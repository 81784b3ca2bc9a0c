/**
 * The instances of a parameterised question: every combination of its variables' values that
 * satisfies its constraints, visited in an order of its own per seed.
 *
 * - A range variable takes the values min + k·step (k = 0, 1, …) up to max, each rounded to the
 *   step's decimals; a choices variable takes its choices.
 * - The instance space is the product of the variables' values, numbered in mixed radix.
 * - `drawInstance(spec, seed, ordinal)` is the ordinal-th *valid* instance (constraints hold, every
 *   value finite) of a seed-keyed permutation of the space: consecutive ordinals are different
 *   instances by construction; once every valid instance has been drawn, a new cycle starts, in a
 *   new order of the same seed.
 *
 * Pure and deterministic: the same seed and ordinal give the same instance in every Worker.
 */
import { type Expression, ExpressionError, evaluate, roundHalfAway } from './expression.ts'

export type VariableSpec =
  | { min: number; max: number; step: number; decimals?: number }
  | { choices: readonly (number | string)[] }

/** A question's variables (in their declared order) and its parsed constraints. */
export type InstanceSpec = {
  variables: readonly (readonly [name: string, spec: VariableSpec])[]
  constraints: readonly Expression[]
}

export type Values = ReadonlyMap<string, number | string>

/** At most this many values per variable, and combinations per question: bounds on the Worker's work. */
export const MAX_VALUES = 1000
export const MAX_SPACE = 20_000

const decimalsOf = (x: number) => (String(x).split('.')[1] ?? '').length

/** A variable's values, in order; a range that is empty or too large is refused. */
export function valuesOf(spec: VariableSpec): (number | string)[] {
  if ('choices' in spec) return [...spec.choices]
  const { min, max, step } = spec
  if (!(step > 0) || !(max >= min))
    throw new ExpressionError('type', 'A range needs min ≤ max and a step above 0.')
  const count = Math.floor((max - min) / step + 1e-9) + 1
  if (count > MAX_VALUES)
    throw new ExpressionError('too_long', `A range may take at most ${MAX_VALUES} values.`)
  return Array.from({ length: count }, (_, k) => roundHalfAway(min + k * step, decimalsOf(step)))
}

/** Each variable's values, in the declared order. */
const optionsOf = (spec: InstanceSpec) =>
  spec.variables.map(([name, variable]) => [name, valuesOf(variable)] as const)
type Options = ReturnType<typeof optionsOf>

/** How many combinations the variables make (refused past MAX_SPACE). */
export function spaceSize(spec: InstanceSpec, options: Options = optionsOf(spec)): number {
  const size = options.reduce((product, [, values]) => product * values.length, 1)
  if (size > MAX_SPACE) throw new ExpressionError('too_long', `At most ${MAX_SPACE} combinations of values.`)
  return size
}

/** Decodes combination numbers (mixed radix, the first variable varying slowest). */
function decoder(options: Options) {
  return (index: number): Values => {
    const values = new Map<string, number | string>()
    let rest = index
    for (let v = options.length - 1; v >= 0; v--) {
      const [name, choices] = options[v] as (typeof options)[number]
      values.set(name, choices[rest % choices.length] as number | string)
      rest = Math.floor(rest / choices.length)
    }
    return new Map(options.map(([name]) => [name, values.get(name) as number | string]))
  }
}

/** Whether every constraint holds for `values` (an invalid value, such as a division by zero, fails it). */
export function satisfies(spec: InstanceSpec, values: Values): boolean {
  const numbers = new Map(
    [...values].filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  )
  try {
    return spec.constraints.every((constraint) => evaluate(constraint, numbers) === true)
  } catch (error) {
    if (error instanceof ExpressionError) return false
    throw error
  }
}

/** splitmix32: a small, well-mixed PRNG, enough to key a permutation. */
export function prng(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/** A permutation of [0, size) keyed by `seed` and `cycle`: i ↦ (a·i + b) mod size, a coprime with size. */
function permutation(size: number, seed: number, cycle: number) {
  const next = prng(seed ^ Math.imul(cycle + 1, 0x27d4eb2d))
  let a = next() % size || 1
  while (gcd(a, size) !== 1) a = (a % size) + 1
  const b = next() % size
  return (i: number) => Number((BigInt(a) * BigInt(i) + BigInt(b)) % BigInt(size))
}

/**
 * The ordinal-th valid instance for `seed`, with its number in the space and the cycle it belongs to
 * (0 until every valid instance has been drawn once); null when no combination is valid. Valid means
 * the constraints hold and `accept` (the question's own check: its texts and answer compute) agrees.
 */
export function drawInstance(
  spec: InstanceSpec,
  seed: number,
  ordinal: number,
  accept: (values: Values) => boolean = () => true,
): { index: number; values: Values; cycle: number } | null {
  const options = optionsOf(spec)
  const size = spaceSize(spec, options)
  const decode = decoder(options)
  const valid = new Set<number>()
  const first = permutation(size, seed, 0)
  for (let i = 0; i < size; i++) {
    const index = first(i)
    const values = decode(index)
    if (!satisfies(spec, values) || !accept(values)) continue
    if (valid.size === ordinal) return { index, values, cycle: 0 }
    valid.add(index)
  }
  if (valid.size === 0) return null
  // Every valid instance has been drawn: cycle c visits them again, in its own order.
  const cycle = Math.floor(ordinal / valid.size)
  const order = permutation(size, seed, cycle)
  let position = ordinal % valid.size
  for (let i = 0; ; i++) {
    const index = order(i)
    if (!valid.has(index)) continue
    if (position === 0) return { index, values: decode(index), cycle }
    position--
  }
}
