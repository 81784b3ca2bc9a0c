import type { env } from 'cloudflare:workers'
import { neonConfig } from '@neondatabase/serverless'
import { afterEach, describe, expect, it } from 'vitest'
import { api, callWorker, countRoundTrips, expectProblem } from './helpers.ts'

/** Calls the Worker entry with altered bindings, as a misconfigured deployment would. */
const fetchWith = (bindings: Partial<Record<keyof typeof env, unknown>>, path: string) =>
  callWorker(new Request(`http://api.test${path}`), bindings as Partial<typeof env>)

afterEach(() => {
  neonConfig.fetchFunction = undefined
})

describe('GET /health', () => {
  it('answers without touching the database', async () => {
    const { result: res, roundTrips } = await countRoundTrips(() => api('/health'))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(roundTrips).toBe(0)
  })
})

describe('GET /health/db', () => {
  it('makes exactly one round trip and reports its latency', async () => {
    const { result: res, roundTrips } = await countRoundTrips(() => api('/health/db'))
    const body = (await res.json()) as { status: string; latencyMs: number }
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body.status).toBe('ok')
    expect(body.latencyMs).toBeGreaterThanOrEqual(0)
    expect(roundTrips).toBe(1)
  })

  it('is a 503 problem with Retry-After when the database is unreachable', async () => {
    // The connection refused, as the driver sees it (a real refused socket makes workerd log a stack trace).
    neonConfig.fetchFunction = () => Promise.reject(new TypeError('Network connection lost.'))
    const res = await api('/health/db')
    const problem = await expectProblem(res, 503)
    expect(problem.type).toMatch(/database_unavailable$/)
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})

describe('bindings are validated at the Worker boundary', () => {
  it('fails closed with a 500 problem naming the missing key', async () => {
    const res = await fetchWith({ DATABASE_URL: undefined }, '/health')
    const problem = await expectProblem(res, 500)
    expect(problem.type).toMatch(/misconfigured$/)
    expect(problem.detail).toContain('DATABASE_URL')
  })

  it('names an invalid key but never echoes its value', async () => {
    const secret = 'mysql://admin:hunter2-very-secret@db.example/app'
    const res = await fetchWith({ DATABASE_URL: secret, NEON_LOCAL_ENDPOINT: 'not a url' }, '/health')
    const text = await res.clone().text()
    const problem = await expectProblem(res, 500)
    expect(problem.detail).toContain('DATABASE_URL')
    expect(problem.detail).toContain('NEON_LOCAL_ENDPOINT')
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('not a url')
  })
})
