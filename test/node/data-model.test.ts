/** docs/data-model.md stays true: its generated part is what the schema generates, its code the compiled example. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DATA_MODEL_FILE, withGeneratedPart } from '../../scripts/data-model.ts'

const text = readFileSync(DATA_MODEL_FILE, 'utf8')

describe('docs/data-model.md', () => {
  it('has the diagram and constraints src/db/schema.ts generates: run `npm run docs:data-model` after a schema change', () => {
    expect(text).toBe(withGeneratedPart(text))
    expect(text).toContain('skills ||--o{ units : "skill_id"')
    expect(text).toContain('unique index attempts_one_open_per_activity (partial)')
  })

  it('lists every table of the schema, analytics included', async () => {
    const { getTableName, is } = await import('drizzle-orm')
    const { PgTable } = await import('drizzle-orm/pg-core')
    const modules = [await import('../../src/db/schema.ts'), await import('../../src/db/analytics-schema.ts')]
    const tables = modules.flatMap((module) =>
      Object.values(module).flatMap((value) => (is(value, PgTable) ? [getTableName(value)] : [])),
    )
    expect(tables.length).toBeGreaterThan(20)
    const listed = new Set([...text.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]))
    expect(tables.filter((table) => !listed.has(table))).toEqual([])
  })

  it('shows examples/data-model.ts as it is (compiled and run by the workers suite)', () => {
    expect(text).toContain(`\`\`\`ts\n${readFileSync('examples/data-model.ts', 'utf8')}\`\`\``)
  })
})
