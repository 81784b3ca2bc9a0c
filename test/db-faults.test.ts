/**
 * Database failures through a fault-injecting `neonConfig.fetchFunction` in front of the real
 * endpoint: the driver, Drizzle and the routes all run as in production.
 */
import { neonConfig } from '@neondatabase/serverless'
import { afterEach, describe, expect, it } from 'vitest'
import { expectProblem, json, newLearner, send } from './helpers.ts'

/** Answers the first `times` batches with a Postgres error `code`, then forwards to the real endpoint. */
function failBatches(code: string, times: number) {
  const seen = { batches: 0 }
  neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
    if (String(init.body).startsWith('{"queries"') && seen.batches++ < times) {
      return new Response(JSON.stringify({ message: 'injected failure', code }), { status: 400 })
    }
    return fetch(url, init)
  }
  return seen
}

afterEach(() => {
  neonConfig.fetchFunction = undefined
})

describe('serialization failures and deadlocks', () => {
  it('retry a batch (rolled back whole by Postgres) until it succeeds', async () => {
    const { cookie } = await newLearner()
    const seen = failBatches('40001', 2)
    await json(await send('GET', '/v1/me', { cookie }), 200)
    expect(seen.batches).toBe(3)
  })

  it('give up after three attempts with a 503 problem and Retry-After', async () => {
    const { cookie } = await newLearner()
    const seen = failBatches('40P01', 10)
    const res = await send('GET', '/v1/me', { cookie })
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
    await expectProblem(res, 503)
    expect(seen.batches).toBe(3)
  })

  it('do not retry other errors', async () => {
    const { cookie } = await newLearner()
    const seen = failBatches('23505', 10)
    await expectProblem(await send('GET', '/v1/me', { cookie }), 409)
    expect(seen.batches).toBe(1)
  })
})
