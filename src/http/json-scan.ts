/**
 * What no JSON body may carry, found before any schema sees it: keys that reach into prototypes
 * (`__proto__`, `constructor`, `prototype`) when a parsed body is copied or merged, strings that are
 * not well-formed Unicode (a lone surrogate such as `"\ud800"`: Postgres refuses it in jsonb, and
 * text columns would store a replacement character), numbers too large to be finite (`1e400`:
 * JSON.parse makes it Infinity, which JSON.stringify would store as null), and nesting deeper than
 * any route needs. Every
 * key and string of the body is checked, free-form metadata included; the walk keeps its own stack,
 * so no nesting exhausts the call stack.
 */
import { jsonPointer } from '../errors.ts'

/** Keys refused anywhere in a body; free-form objects of the OpenAPI document say so (`refusesPrototypeKeys`). */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const
const prototypeKeys = new Set<string>(PROTOTYPE_KEYS)

/** Deeper than any body of this API (an activity's content is 5 levels); metadata stays well within. */
const MAX_JSON_DEPTH = 32

export type BodyFault = { pointer: string; detail: string }

/** The first fault of a JSON text, or undefined when it has none (or is not JSON: the validator says so). */
export function faultIn(text: string): BodyFault | undefined {
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch (error) {
    if (error instanceof SyntaxError) return undefined
    return { pointer: '#', detail: `nested more than ${MAX_JSON_DEPTH} levels deep` }
  }
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }]
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next
    if (typeof value === 'string') {
      if (!value.isWellFormed())
        return { pointer: jsonPointer(path), detail: 'must be well-formed Unicode text' }
      continue
    }
    if (typeof value === 'number' && !Number.isFinite(value))
      return { pointer: jsonPointer(path), detail: 'must be a finite number' }
    if (value === null || typeof value !== 'object') continue
    if (path.length >= MAX_JSON_DEPTH) {
      return { pointer: jsonPointer(path), detail: `nested more than ${MAX_JSON_DEPTH} levels deep` }
    }
    for (const [key, child] of Object.entries(value)) {
      if (prototypeKeys.has(key)) {
        return { pointer: jsonPointer(path), detail: `the key "${key}" is not allowed anywhere in a body` }
      }
      if (!key.isWellFormed()) {
        return { pointer: jsonPointer(path), detail: 'keys must be well-formed Unicode text' }
      }
      stack.push({ value: child, path: [...path, key] })
    }
  }
  return undefined
}
