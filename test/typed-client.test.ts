/** Hono's typed client over AppType: what a TypeScript consumer of this API writes, compiled by `npm test`. */
import { exports } from 'cloudflare:workers'
import { hc } from 'hono/client'
import { describe, expect, it } from 'vitest'
import { cookieKeepingFetch, learningApi, practise } from '../examples/practise.ts'
import example from '../examples/practise.ts?raw'
import readme from '../README.md?raw'
import type { AppType } from '../src/index.ts'
import { countRoundTrips, testDb } from './helpers.ts'
import { buildPracticeCatalogue, practiceActivities } from './practice-catalogue.ts'

const client = hc<AppType>('http://api.test', {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
})

describe('hc<AppType>', () => {
  it('types requests and responses end to end', async () => {
    await buildPracticeCatalogue(testDb())
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

describe('README: "Use it from your app"', () => {
  it('shows examples/practise.ts as it is, so the README’s example is the compiled one', () => {
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``)
  })

  it('runs: a session, an attempt and a graded submission through the typed client', async () => {
    await buildPracticeCatalogue(testDb())
    // The example's own cookie-keeping fetch, over the Worker instead of the network.
    const api = learningApi('http://api.test', {
      fetch: cookieKeepingFetch((input, init) => exports.default.fetch(new Request(input, init))),
    })
    const activity = practiceActivities[0]
    const { result, roundTrips } = await countRoundTrips(() =>
      practise(api, activity?.id as string, () => ({ q1: 5, q2: 8, q3: 0 })),
    )
    expect(result).toEqual({ score: 2, passed: false, mastery: expect.any(Number) })
    // Session, start, submit: the client carried the start's Submit-Token, so submit took one.
    expect(roundTrips).toBe(3)
    expect(result.mastery).toBeGreaterThan(0)
  })
})
