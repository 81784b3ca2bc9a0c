import { describe, expect, it, vi } from 'vitest'
import { api, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const lineFor = (spy: { mock: { calls: unknown[][] } }, requestId: string | null) =>
  spy.mock.calls
    .map((call) => String(call[0]))
    .filter((line) => line.startsWith('{') && line.includes(`"requestId":"${requestId}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>)

describe('the request log', () => {
  it('has one structured line per request: route pattern, status, duration, database round trips and time', async () => {
    await buildPracticeCatalogue(testDb())
    const { cookie } = await newLearner()
    const log = vi.spyOn(console, 'log')
    const res = await send('GET', `/v1/me/skills/${PRACTICE.skills.math}`, { cookie })
    const lines = lineFor(log, res.headers.get('x-request-id'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toEqual({
      level: 'info',
      requestId: res.headers.get('x-request-id'),
      method: 'GET',
      route: '/v1/me/skills/:skillId',
      status: 200,
      durationMs: expect.any(Number),
      dbRoundTrips: 1,
      dbMs: expect.any(Number),
    })
    expect(JSON.stringify(lines[0])).not.toContain(PRACTICE.skills.math)
  })

  it('echoes a sane client X-Request-Id and replaces anything else', async () => {
    const echoed = await api('/health', { headers: { 'X-Request-Id': 'client-trace-42' } })
    expect(echoed.headers.get('x-request-id')).toBe('client-trace-42')
    const replaced = await api('/health', { headers: { 'X-Request-Id': 'has spaces and <html>' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('logs a server fault twice at most: the request line and one line with its cause', async () => {
    const log = vi.spyOn(console, 'log')
    const error = vi.spyOn(console, 'error')
    const res = await api('/health/db', { headers: {} })
    expect(res.status).toBe(200)
    const requestId = res.headers.get('x-request-id')
    expect(lineFor(log, requestId)).toHaveLength(1)
    expect(lineFor(error, requestId)).toHaveLength(0)
  })
})
