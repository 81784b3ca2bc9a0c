import { describe, expect, it } from 'vitest'
import * as realZod from 'zod'
import { z as leanZ } from '../src/lib/zod.ts'

// The source of every module the Worker is built from, as text.
const sources = import.meta.glob<string>('../src/**/*.ts', { query: '?raw', import: 'default', eager: true })

/** `z.<member>` read as a value in code, also across a line break (not in comments, not a type such as `z.infer<...>`). */
function valueMembersOfZ(source: string) {
  const code = source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join('\n')
  return [...code.matchAll(/(?<![\w$.])z\s*\.\s*([a-z][A-Za-z]*)\b(?!\s*<)/g)].map(
    (match) => match[1] as string,
  )
}

describe('the deployed bundle’s zod (src/lib/zod.ts)', () => {
  it('has every member of `z` the source calls, each zod’s own implementation', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20)
    const used = new Set(Object.values(sources).flatMap(valueMembersOfZ))
    expect(used).toContain('object')
    const members = leanZ as Record<string, unknown>
    for (const member of used) {
      expect(members[member], `z.${member} is missing from src/lib/zod.ts`).toBeDefined()
      expect(members[member]).toBe((realZod.z as Record<string, unknown>)[member])
    }
    // zod-to-openapi extends ZodType's prototype through the `z` it is handed.
    expect(leanZ.ZodType).toBe(realZod.z.ZodType)
  })
})
