/** What every response says about how it may be used: framing, content, transport. */
import { describe, expect, it } from 'vitest'
import { api, callWorker, expectProblem } from './helpers.ts'

describe('API responses', () => {
  it('load nothing and are framed nowhere: a strict CSP and X-Frame-Options DENY, on successes and problems', async () => {
    for (const res of [await api('/health'), await api('/v1/skills'), await api('/v1/nope')]) {
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })
})

describe('GET /docs', () => {
  it('has a CSP of its own: its script and document from this origin, no inline script, framed nowhere', async () => {
    const res = await api('/docs')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe/)
    expect(await res.text()).toContain('<script id="api-reference" type="application/json"')
  })
})

describe('plain http in production', () => {
  const production = { ENVIRONMENT: 'production' as const }

  it('is redirected to https with the method kept (308), and never gets a cookie', async () => {
    for (const [method, path] of [
      ['GET', '/v1/skills?limit=1'],
      ['POST', '/v1/session'],
    ] as const) {
      const res = await callWorker(new Request(`http://api.example${path}`, { method }), production)
      expect(res.status, `${method} ${path}`).toBe(308)
      expect(res.headers.get('location')).toBe(`https://api.example${path}`)
      expect(res.headers.get('set-cookie')).toBeNull()
    }
  })

  it('over https, the session cookie is __Host- and Secure', async () => {
    const res = await callWorker(
      new Request('https://api.example/v1/session', { method: 'POST' }),
      production,
    )
    expect(res.status).toBe(201)
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-sid=.*; Secure; SameSite=Lax$/)
  })

  it('is left alone outside production (wrangler dev serves http://localhost)', async () => {
    await expectProblem(await api('/v1/me'), 401)
  })
})
