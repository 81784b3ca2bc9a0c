/**
 * The contract's history: every change to /openapi.json that would break a client of the last
 * release is declared in CHANGELOG.md, under Unreleased → Breaking, naming its operation.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { breakingChanges, lastRelease, type OpenApi } from '../../scripts/openapi-diff.ts'

const current = JSON.parse(readFileSync('public/openapi.json', 'utf8')) as OpenApi
const changelog = readFileSync('CHANGELOG.md', 'utf8')
const unreleased = /## Unreleased\n([\s\S]*?)\n## /.exec(changelog)?.[1] ?? ''
const breaking = /### Breaking\n([\s\S]*?)(\n### |$)/.exec(unreleased)?.[1] ?? ''

describe('CHANGELOG.md', () => {
  it('declares every breaking change since the last release, by operation', () => {
    const undeclared = breakingChanges(lastRelease(), current).filter(
      ({ where }) => !breaking.includes(`\`${where}\``),
    )
    expect(undeclared, 'declare these under "## Unreleased" → "### Breaking" in CHANGELOG.md').toEqual([])
  })

  it('is checked by a diff that finds what breaks clients', () => {
    const release = lastRelease()
    const removed = structuredClone(current)
    delete removed.paths['/v1/me']
    const narrowed = structuredClone(release)
    const [path, methods] = Object.entries(narrowed.paths).find(([p]) => p === '/v1/me/attempts') ?? []
    const limit = methods?.get?.parameters?.find((p) => p.name === 'limit')
    if (!path || !limit) throw new Error('the release lists GET /v1/me/attempts with a limit')
    limit.schema = { ...limit.schema, enum: [10, 20] }
    expect(breakingChanges(release, removed)).toContainEqual({ where: 'GET /v1/me', change: 'removed' })
    expect(breakingChanges(release, narrowed)).toEqual([])
    expect(breakingChanges(narrowed, release)).toEqual([])
    const stricter = structuredClone(release)
    const stricterLimit = stricter.paths['/v1/me/attempts']?.get?.parameters?.find((p) => p.name === 'limit')
    if (stricterLimit) stricterLimit.schema = { ...stricterLimit.schema, enum: [10] }
    expect(breakingChanges(narrowed, stricter)).toContainEqual({
      where: 'GET /v1/me/attempts',
      change: 'query limit: no longer takes 20',
    })
  })

  it('compares schemas as clients meet them: a refactor into allOf and $ref reports nothing', () => {
    type Schema = { properties: Record<string, unknown>; required: string[] }
    const schemas = current.components.schemas as Record<string, Schema>
    // A device: what GET /v1/me/sessions lists.
    const name = 'Device'
    const original = schemas[name]
    if (!original) throw new Error('the document has a Device component')
    // The same component, factored as a shared base plus its own fields.
    const [first, ...others] = Object.keys(original.properties)
    const refactored = structuredClone(current)
    const components = refactored.components.schemas as Record<string, unknown>
    components.ExtractedBase = {
      type: 'object',
      properties: { [first as string]: original.properties[first as string] },
      required: original.required.filter((field) => field === first),
    }
    components[name] = {
      allOf: [
        { $ref: '#/components/schemas/ExtractedBase' },
        {
          type: 'object',
          properties: Object.fromEntries(others.map((field) => [field, original.properties[field]])),
          required: original.required.filter((field) => field !== first),
        },
      ],
    }
    expect(breakingChanges(current, refactored)).toEqual([])
    expect(breakingChanges(refactored, current)).toEqual([])
    // …while a field dropped from inside the allOf is still found wherever the component is answered.
    const dropped = structuredClone(refactored)
    const base = (dropped.components.schemas as Record<string, Schema>).ExtractedBase
    if (base) base.properties = {}
    const changes = breakingChanges(current, dropped)
    expect(changes.length).toBeGreaterThan(0)
    expect(
      changes.every(({ change }) => change.endsWith(`.${first}: removed`) || change.includes(`.${first}:`)),
    ).toBe(true)
  })
})
