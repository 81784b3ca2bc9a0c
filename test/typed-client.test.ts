/** Hono's typed client over AppType: what a TypeScript consumer of this API writes, compiled by `npm test`. */
import { exports } from 'cloudflare:workers'
import { hc } from 'hono/client'
import { describe, expect, it } from 'vitest'
import { seed } from '../scripts/seed.ts'
import type { AppType } from '../src/index.ts'
import { testDb } from './helpers.ts'

const client = hc<AppType>('http://api.test', {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
})

describe('hc<AppType>', () => {
  it('types requests and responses end to end', async () => {
    await seed(testDb())
    const res = await client.v1.skills.$get({ query: { limit: '1' } })
    expect(res.status).toBe(200)
    if (!res.ok) throw new Error('unreachable')
    const page = await res.json()
    const first: string | undefined = page.items[0]?.name
    expect(first).toBe('Basic Mathematics')
    expect(page.nextCursor).toEqual(expect.any(String))

    const tree = await client.v1.skills[':skillId'].$get({ param: { skillId: page.items[0]?.id ?? '' } })
    if (tree.status !== 200) throw new Error(`unexpected ${tree.status}`)
    const units: string[] = (await tree.json()).units.map((unit) => unit.name)
    expect(units).toEqual(['Addition', 'Subtraction'])
  })
})
