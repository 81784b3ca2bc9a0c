/**
 * Refused requests (401, 403, 429) leave one log line each, with why and a keyed hash of the
 * client address — never the address, the cookie or the token.
 */
import { describe, expect, it, vi } from 'vitest'
import { api, newLearner, send, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

type Event = { event: string; reason: string; status: number; route: string; client: string | null }

/** The security events logged while `run` ran. */
async function eventsOf(run: () => Promise<unknown>): Promise<Event[]> {
  const warn = vi.spyOn(console, 'warn')
  const before = warn.mock.calls.length
  await run()
  const lines = warn.mock.calls.slice(before).map((call) => String(call[0]))
  return lines.map((line) => JSON.parse(line) as Event).filter((line) => line.event === 'refused')
}

const from = (ip: string, headers: Record<string, string> = {}) => ({ 'cf-connecting-ip': ip, ...headers })

describe('security events', () => {
  it('name the reason of every refusal and tag the client by a keyed hash, never its address or credential', async () => {
    await buildPracticeCatalogue(testDb())
    const { cookie } = await newLearner()
    const revoked = await newLearner()
    await send('DELETE', '/v1/session', { cookie: revoked.cookie })
    const tampered = `${cookie.slice(0, -5)}AAAAA`
    const start = `/v1/activities/${PRACTICE.activities.addition}/attempts`

    const events = await eventsOf(async () => {
      await api('/v1/me', { headers: from('203.0.113.10') })
      await api('/v1/me', { headers: from('203.0.113.10', { Cookie: tampered }) })
      await api('/v1/me', { headers: from('203.0.113.10', { Cookie: revoked.cookie }) })
      await api('/v1/admin/skills', { method: 'POST', headers: from('203.0.113.11') })
      await api('/v1/admin/skills', {
        method: 'POST',
        headers: from('203.0.113.11', { Authorization: 'Bearer a-wrong-admin-token-0123456789' }),
      })
      await api('/v1/admin/skills', {
        method: 'POST',
        headers: from('203.0.113.11', { Authorization: 'Basic eDp5' }),
      })
      await api(start, {
        method: 'POST',
        headers: from('203.0.113.12', {
          Cookie: cookie,
          Origin: 'https://evil.example',
          'Sec-Fetch-Site': 'cross-site',
        }),
      })
    })
    expect(events.map((e) => [e.status, e.reason])).toEqual([
      [401, 'missing_session'],
      [401, 'bad_signature'],
      [401, 'unknown_session'],
      [401, 'missing_admin_token'],
      [401, 'wrong_admin_token'],
      [401, 'malformed_authorization'],
      [403, 'cross_site_write'],
    ])
    for (const event of events) expect(event.client).toMatch(/^[0-9a-f]{24}$/)
    const [first, , third, fourth] = events
    expect(first?.client).toBe(third?.client) // the same address, the same tag
    expect(first?.client).not.toBe(fourth?.client)

    const logged = JSON.stringify(events)
    for (const secret of ['203.0.113', cookie.slice(4), tampered.slice(4), 'a-wrong-admin-token', 'eDp5']) {
      expect(logged).not.toContain(secret)
    }
  })

  it('include rate limits', async () => {
    // The limiter counts in fixed minutes (30 creations each): a burst that straddles a minute's end
    // may get 30 on each side. Sixty-one requests always put 31 in one minute; stop at the first 429.
    const events = await eventsOf(async () => {
      for (let i = 0; i < 61; i++) {
        const res = await api('/v1/session', { method: 'POST', headers: from('198.51.100.200') })
        if (res.status === 429) break
      }
    })
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events[0]).toMatchObject({ status: 429, reason: 'rate_limited', route: '/v1/session' })
  })
})
