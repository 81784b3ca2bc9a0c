/** The house checks (scripts/house.ts) find what they name, and only that. */
import { describe, expect, it } from 'vitest'
import { measureHouse } from '../../scripts/house.ts'

const counts = (path: string, text: string) => measureHouse([[path, text]]).counts

describe('npm run house', () => {
  it('counts Context imports outside the HTTP edge only', () => {
    const source = "import type { Context } from 'hono'\nexport const f = (c: Context) => c\n"
    expect(counts('src/progress/x.ts', source)['context-imports']).toBe(1)
    expect(counts('src/routes/x.ts', source)['context-imports']).toBe(0)
    expect(counts('src/session/middleware.ts', source)['context-imports']).toBe(0)
  })

  it('counts batch results read by position, not cursors or regular expressions', () => {
    const positional = [
      'const [, removed] = await db.batch([a, b])',
      'const [learner] = before[2]',
      'const last = sent.after.at(-1)',
      'const touch = touchSession(db, hash)[1]',
      'const [rows] = await retryReads(() => searchBatch(db, q))',
    ]
    for (const line of positional) expect(counts('src/a.ts', line)['positional-results'], line).toBe(1)
    const fine = [
      'const { removed } = await batchByName(db, { removed: b })',
      'const at = gt(skills.name, after[0])',
      'const id = PATTERN.exec(path)?.[1]',
      "const head = text.split('>')[0]",
      'const first = source.slice(at).trim()[0]',
    ]
    for (const line of fine) expect(counts('src/a.ts', line)['positional-results'], line).toBe(0)
  })

  it('counts drizzle imports and query calls in routes only', () => {
    const source = "import { eq } from 'drizzle-orm'\nawait c.var.db.select().from(t).where(eq(t.id, 1))\n"
    expect(counts('src/routes/x.ts', source)['queries-in-routes']).toBe(2)
    expect(counts('src/catalogue/x.ts', source)['queries-in-routes']).toBe(0)
  })

  it('counts value imports of @hono/zod-openapi, not type imports', () => {
    expect(counts('src/a.ts', "import { z } from '@hono/zod-openapi'")['zod-openapi-values']).toBe(1)
    expect(counts('src/a.ts', "import { OpenAPIHono } from '@hono/zod-openapi'")['zod-openapi-values']).toBe(
      1,
    )
    expect(
      counts('src/a.ts', "import type { OpenAPIHono } from '@hono/zod-openapi'")['zod-openapi-values'],
    ).toBe(0)
    expect(
      counts('src/a.ts', "import { type RouteConfig } from '@hono/zod-openapi'")['zod-openapi-values'],
    ).toBe(0)
  })

  it('measures the longest function with what it contains', () => {
    const body = Array.from({ length: 12 }, (_, i) => `  const v${i} = ${i}`).join('\n')
    const source = `export function outer() {\n${body}\n  const inner = () => {\n    return 1\n  }\n}\n`
    expect(counts('web/a.ts', source)['longest-function']).toBe(17)
  })
})
