/**
 * Database failures through a fault-injecting `neonConfig.fetchFunction` in front of the real
 * endpoint: the driver, Drizzle and the routes all run as in production.
 */

import { neonConfig } from '@neondatabase/serverless'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, callWorker, expectProblem, json, newLearner, send } from './helpers.ts'

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
    const seen = failBatches('XX000', 10)
    await expectProblem(await send('GET', '/v1/me', { cookie }), 500)
    expect(seen.batches).toBe(1)
  })
})

/** Fails the first `times` requests to the endpoint with `failure`, then forwards. */
function failRequests(times: number, failure: () => Promise<Response>) {
  const seen = { requests: 0 }
  neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
    if (seen.requests++ < times) return failure()
    return fetch(url, init)
  }
  return seen
}

const networkError = () => Promise.reject(new TypeError('Network connection lost.'))
const proxyDown = () => Promise.resolve(new Response('upstream unavailable', { status: 503 }))
const adminShutdown = () =>
  Promise.resolve(
    new Response(
      JSON.stringify({ message: 'terminating connection due to administrator command', code: '57P01' }),
      {
        status: 400,
      },
    ),
  )

describe('transient database failures on reads', () => {
  for (const [what, failure] of [
    ['a network error', networkError],
    ['a proxy 503', proxyDown],
    ['SQLSTATE 57P01', adminShutdown],
  ] as const) {
    it(`retry ${what} at most twice, then answer 503 with Retry-After`, async () => {
      const recovered = failRequests(2, failure)
      expect((await api('/v1/skills')).status).toBe(200)
      expect(recovered.requests).toBe(3)

      const gaveUp = failRequests(10, failure)
      const res = await api('/v1/skills')
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(res.headers.get('cache-control')).toBe('no-store')
      await expectProblem(res, 503)
      expect(gaveUp.requests).toBe(3)
    })
  }

  it('are never retried on writes: the outcome is unknown, so one try and a 503', async () => {
    const seen = failRequests(10, networkError)
    await expectProblem(await api('/v1/session', { method: 'POST' }), 503)
    expect(seen.requests).toBe(1)
  })
})

describe('a database that never answers', () => {
  it('is cut off by the request deadline (DB_TIMEOUT_MS) with a 503, logged as a timeout', async () => {
    neonConfig.fetchFunction = (_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const started = performance.now()
    const res = await callWorker(new Request('http://api.test/v1/skills'), { DB_TIMEOUT_MS: '200' })
    const elapsed = performance.now() - started
    await expectProblem(res, 503)
    expect(elapsed).toBeGreaterThanOrEqual(200)
    expect(elapsed).toBeLessThan(2_000)
    expect(log.mock.calls.flat().join(' ')).toMatch(/TimeoutError/)
    log.mockRestore()
  })
})
