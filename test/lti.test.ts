/**
 * LTI 1.3 launches against a simulated platform (test/lti-platform.ts: its own keys, its JWKS, id_tokens
 * signed on request): the login binds state and nonce to the browser, a launch signs the learner in and
 * lands on what its link names, and every refusal says what was wrong. Platform posts come from the
 * platform's site, so they carry a foreign Origin and `Sec-Fetch-Site: cross-site`.
 */
import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { learners, ltiPlatforms, sessions } from '../src/db/schema.ts'
import worker from '../src/index.ts'
import { decodeJwt, type Jwk, verifiedWith } from '../src/lti/jwt.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { api, countRoundTrips, expectProblem, json, send, testDb } from './helpers.ts'
import {
  CLAIM,
  CLIENT_ID,
  CROSS_SITE,
  claims,
  cookieValue,
  DEPLOYMENT,
  jwksFetches,
  LEARNER_ROLE,
  launch,
  login,
  PLATFORM,
  refusedWith,
  registerPlatform,
  signed,
} from './lti-launch.ts'

describe('the tool’s keys', () => {
  it('publishes its public key with kid, alg and use, and nothing private', async () => {
    const res = await api('/lti/jwks')
    const { keys } = await json<{ keys: Record<string, string>[] }>(res, 200)
    expect(keys).toEqual([
      { kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: 'suite', alg: 'RS256', use: 'sig' },
    ])
  })
})

describe('the login', () => {
  it('checks the frame keeps cookies, then binds a signed state and a nonce to the browser and goes to the platform', async () => {
    const platform = await registerPlatform()
    const first = await api(
      `/lti/login?${new URLSearchParams({ iss: platform.issuer, login_hint: 'u', target_link_uri: 'http://api.test/' })}`,
      { redirect: 'manual' },
    )
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toContain('checked=1')
    const check = first.headers.getSetCookie().find((c) => c.startsWith('lti_check='))
    expect(check).toMatch(/Secure/)
    expect(check).toMatch(/SameSite=None/)
    expect(check).toMatch(/Partitioned/)
    // Cookies refused in the frame: the same login, offered in a new window.
    const hop = new URL(first.headers.get('location') as string)
    const refused = await api(`${hop.pathname}${hop.search}`)
    expect(refused.status).toBe(200)
    expect(await refused.text()).toContain('Open it in a new window')

    const { location, state, nonce, cookie, res } = await login(platform.issuer)
    expect(`${location.origin}${location.pathname}`).toBe(`${PLATFORM}/auth`)
    expect(Object.fromEntries(location.searchParams)).toEqual({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: CLIENT_ID,
      redirect_uri: 'http://api.test/lti/launch',
      login_hint: 'user-7',
      state,
      nonce,
    })
    expect(cookie).toBe(`lti_state=${state}`)
    expect(res.headers.getSetCookie().join()).toMatch(/HttpOnly; Secure; SameSite=None; Partitioned/)
  })

  it('is refused for a platform nobody registered, and for a login that does not say who it is', async () => {
    const unknown = await api(
      `/lti/login?${new URLSearchParams({ iss: 'https://elsewhere.example', login_hint: 'u', target_link_uri: 'x', checked: '1' })}`,
      {
        headers: { Cookie: 'lti_check=1' },
      },
    )
    await refusedWith(unknown, /No live platform is registered for https:\/\/elsewhere\.example/)
    const problem = await expectProblem(await api('/lti/login'), 400)
    expect(problem.errors?.map((e) => e.parameter)).toEqual(['iss', 'login_hint', 'target_link_uri'])
  })
})

describe('a launch', () => {
  it('signs the learner of (iss, sub) in, created once, and lands on the activity its link names — in two round trips', async () => {
    const platform = await registerPlatform()
    const db = testDb()
    const unit = await insertUnit(db, (await insertSkill(db)).id)
    const activity = await insertActivity(db, unit.id)
    const { state, nonce, cookie } = await login(platform.issuer)
    const token = await signed({
      claims: claims(platform.issuer, nonce, { [`${CLAIM}/custom`]: { activity: activity.id } }),
    })
    const { result: res, roundTrips } = await countRoundTrips(() =>
      launch({ id_token: token, state }, cookie),
    )
    expect(res.status, await res.clone().text()).toBe(303)
    expect(roundTrips).toBe(2)
    expect(res.headers.get('location')).toBe(`http://api.test/lti/app/#/activities/${activity.id}`)
    const session = cookieValue(res, 'lti_sid') as string
    expect(res.headers.getSetCookie().find((c) => c.startsWith('lti_sid='))).toMatch(
      /Secure; SameSite=None; Partitioned/,
    )
    // The browser's own session cookie is left alone: a launch's has a name of its own.
    expect(res.headers.getSetCookie().find((c) => c.startsWith('sid='))).toBeUndefined()
    const me = await json<{ id: string; displayName: string }>(
      await send('GET', '/v1/me', { cookie: session }),
      200,
    )
    expect(me.displayName).toBe('Ada Lovelace')

    // Launched again (another login, another device): the same learner.
    const again = await login(platform.issuer)
    const unitLink = await signed({
      claims: claims(platform.issuer, again.nonce, { [`${CLAIM}/custom`]: { unit: unit.id } }),
    })
    const second = await launch({ id_token: unitLink, state: again.state }, again.cookie)
    expect(second.status).toBe(303)
    expect(second.headers.get('location')).toBe(`http://api.test/lti/app/#/skills/${unit.skillId}`)
    const meAgain = await json<{ id: string }>(
      await send('GET', '/v1/me', { cookie: cookieValue(second, 'lti_sid') }),
      200,
    )
    expect(meAgain.id).toBe(me.id)
  })

  it('is refused, with what was wrong, for each broken rule — and a replayed one is refused once used', async () => {
    const platform = await registerPlatform()
    const other = await registerPlatform()
    const cases: [string, (nonce: string) => Promise<string>, RegExp][] = [
      [
        'a forged signature',
        (n) => signed({ claims: claims(platform.issuer, n), forge: true }),
        /signature is not the platform’s/,
      ],
      ['another issuer', (n) => signed({ claims: claims(other.issuer, n) }), /another platform \(iss\)/],
      [
        'another audience',
        (n) => signed({ claims: claims(platform.issuer, n, { aud: 'someone-else' }) }),
        /another tool \(aud\)/,
      ],
      [
        'an unknown deployment',
        (n) => signed({ claims: claims(platform.issuer, n, { [`${CLAIM}/deployment_id`]: 'dep-9' }) }),
        /deployment of the tool is not registered/,
      ],
      [
        'an expired token',
        (n) => signed({ claims: claims(platform.issuer, n, { exp: Math.floor(Date.now() / 1000) - 3600 }) }),
        /has expired/,
      ],
      [
        'a wrong message type',
        (n) =>
          signed({
            claims: claims(platform.issuer, n, { [`${CLAIM}/message_type`]: 'LtiSubmissionReviewRequest' }),
          }),
        /LtiSubmissionReviewRequest is not one/,
      ],
      [
        'no roles claim',
        (n) => signed({ claims: claims(platform.issuer, n, { [`${CLAIM}/roles`]: undefined }) }),
        /does not say the user’s roles/,
      ],
      [
        'another login’s nonce',
        () => signed({ claims: claims(platform.issuer, 'not-this-login') }),
        /does not answer this browser’s login/,
      ],
    ]
    for (const [name, token, words] of cases) {
      const { state, nonce, cookie } = await login(platform.issuer)
      const res = await launch({ id_token: await token(nonce), state }, cookie)
      await refusedWith(res, words).catch((error) => {
        throw new Error(`${name}: ${error}`)
      })
    }
    const { state, nonce, cookie } = await login(platform.issuer)
    const token = await signed({ claims: claims(platform.issuer, nonce) })
    expect((await launch({ id_token: token, state }, cookie)).status).toBe(303)
    await refusedWith(await launch({ id_token: token, state }, cookie), /already used/)
  })

  it('is refused without the browser’s state cookie, or with another login’s state', async () => {
    const platform = await registerPlatform()
    const mine = await login(platform.issuer)
    const theirs = await login(platform.issuer)
    const token = await signed({ claims: claims(platform.issuer, mine.nonce) })
    await refusedWith(await launch({ id_token: token, state: mine.state }), /did not start in this browser/)
    await refusedWith(
      await launch({ id_token: token, state: mine.state }, theirs.cookie),
      /did not start in this browser/,
    )
    await refusedWith(
      await launch({ id_token: token, state: 'forged.state' }, 'lti_state=forged.state'),
      /not ours/,
    )
  })

  it('refetches the platform’s keys once for a kid it does not know, so a rotated key is believed at once', async () => {
    const platform = await registerPlatform()
    const first = await login(platform.issuer)
    expect(
      (
        await launch(
          { id_token: await signed({ claims: claims(platform.issuer, first.nonce) }), state: first.state },
          first.cookie,
        )
      ).status,
    ).toBe(303)
    await fetch(`${PLATFORM}/rotate`, { method: 'POST' })
    const before = await jwksFetches()
    const rotated = await login(platform.issuer)
    const res = await launch(
      { id_token: await signed({ claims: claims(platform.issuer, rotated.nonce) }), state: rotated.state },
      rotated.cookie,
    )
    expect(res.status).toBe(303)
    expect(await jwksFetches()).toBe(before + 1)
    // A kid nobody has: refused, and within the minute no second refetch.
    for (let i = 0; i < 2; i++) {
      const bogus = await login(platform.issuer)
      const token = await signed({ claims: claims(platform.issuer, bogus.nonce), kid: 'made-up' })
      await refusedWith(
        await launch({ id_token: token, state: bogus.state }, bogus.cookie),
        /key the platform does not publish/,
      )
    }
    expect(await jwksFetches()).toBe(before + 1)
  })
})

describe('platforms, for admins', () => {
  it('are registered, listed, approved when drafts, refused twice, and removed', async () => {
    const platform = await registerPlatform()
    const list = await json<{ items: { id: string; status: string }[] }>(
      await send('GET', '/v1/admin/lti/platforms', { admin: true }),
      200,
    )
    expect(list.items.find((p) => p.id === platform.id)?.status).toBe('live')
    const again = await send('POST', '/v1/admin/lti/platforms', {
      admin: true,
      body: {
        name: 'Twice',
        issuer: platform.issuer,
        clientId: CLIENT_ID,
        deploymentIds: ['d'],
        authLoginUrl: `${PLATFORM}/auth`,
        accessTokenUrl: `${PLATFORM}/token`,
        jwksUrl: `${PLATFORM}/jwks`,
      },
    })
    await expectProblem(again, 409)
    await expectProblem(
      await send('POST', `/v1/admin/lti/platforms/${platform.id}/approve`, { admin: true }),
      404,
    )
    expect((await send('DELETE', `/v1/admin/lti/platforms/${platform.id}`, { admin: true })).status).toBe(204)
    await expectProblem(await send('DELETE', `/v1/admin/lti/platforms/${platform.id}`, { admin: true }), 404)
  })
})

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'

function deepLinkingClaims(issuer: string, nonce: string, roles = [INSTRUCTOR]) {
  return claims(issuer, nonce, {
    [`${CLAIM}/message_type`]: 'LtiDeepLinkingRequest',
    [`${CLAIM}/roles`]: roles,
    [`${CLAIM}/resource_link`]: undefined,
    'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': {
      deep_link_return_url: `${PLATFORM}/deep-link-return`,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      data: 'opaque-123',
    },
    'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
      scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem'],
    },
  })
}

const fieldValue = (page: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`)
    .exec(page)?.[1]
    ?.replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')

describe('deep linking', () => {
  it('lets an instructor pick from the published catalogue, searched, and answers the platform with signed links', async () => {
    const platform = await registerPlatform()
    const db = testDb()
    const skill = await insertSkill(db, { name: 'Tides and coasts', publishedAt: new Date() })
    const unit = await insertUnit(db, skill.id, { name: 'Tides' })
    const activity = await insertActivity(db, unit.id, { name: 'Tide tables', publishedAt: new Date() })
    const draft = await insertActivity(db, unit.id, { name: 'Secret draft', publishedAt: null })
    const { state, nonce, cookie } = await login(platform.issuer)
    const res = await launch(
      { id_token: await signed({ claims: deepLinkingClaims(platform.issuer, nonce) }), state },
      cookie,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'")
    // Framed by the platform that asked (its return URL's origin), by no one else.
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors ${PLATFORM};`)
    const picker = await res.text()
    expect(picker).toContain('Tide tables')
    expect(picker).not.toContain('Secret draft')
    expect(picker).toContain(`value="activity:${activity.id}"`)
    expect(picker).not.toContain(draft.id)
    const context = fieldValue(picker, 'context') as string

    const searched = await api(`/lti/deep-link?${new URLSearchParams({ context, q: 'tide table' })}`)
    expect(await searched.text()).toContain('Tide tables')
    const nothing = await api(`/lti/deep-link?${new URLSearchParams({ context, q: 'volcanoes' })}`)
    expect(await nothing.text()).toContain('Nothing published matches “volcanoes”.')

    const answered = await api('/lti/deep-link', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...CROSS_SITE },
      body: new URLSearchParams([
        ['context', context],
        ['item', `activity:${activity.id}`],
        ['item', `unit:${unit.id}`],
      ]),
    })
    expect(answered.status).toBe(200)
    expect(answered.headers.get('content-security-policy')).toContain(`form-action ${PLATFORM}`)
    const page = await answered.text()
    expect(page).toContain(`action="${PLATFORM}/deep-link-return"`)
    const jwt = decodeJwt(fieldValue(page, 'JWT') as string)
    const { keys } = await json<{ keys: Jwk[] }>(await api('/lti/jwks'), 200)
    expect(jwt.header.kid).toBe('suite')
    expect(await verifiedWith(jwt, keys[0] as Jwk)).toBe(true)
    const now = Math.floor(Date.now() / 1000)
    expect(jwt.claims).toMatchObject({
      iss: CLIENT_ID,
      aud: platform.issuer,
      [`${CLAIM}/message_type`]: 'LtiDeepLinkingResponse',
      [`${CLAIM}/version`]: '1.3.0',
      [`${CLAIM}/deployment_id`]: DEPLOYMENT,
      'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'opaque-123',
      'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [
        // In the order chosen.
        {
          type: 'ltiResourceLink',
          title: 'Tide tables',
          url: 'http://api.test/lti/launch',
          custom: { activity: activity.id },
          lineItem: { scoreMaximum: 100, label: 'Tide tables' },
        },
        {
          type: 'ltiResourceLink',
          title: 'Tides and coasts › Tides',
          url: 'http://api.test/lti/launch',
          custom: { unit: unit.id },
          lineItem: { scoreMaximum: 100, label: 'Tides and coasts › Tides' },
        },
      ],
    })
    // Moodle's library allows no leeway: issued 30 s in the past.
    expect(now - (jwt.claims.iat as number)).toBeGreaterThanOrEqual(29)
  })

  it('is refused to a learner, and to a picker context that is not ours', async () => {
    const platform = await registerPlatform()
    const { state, nonce, cookie } = await login(platform.issuer)
    const token = await signed({ claims: deepLinkingClaims(platform.issuer, nonce, [LEARNER_ROLE]) })
    await refusedWith(await launch({ id_token: token, state }, cookie), /Only instructors can choose content/)
    await refusedWith(
      await api(`/lti/deep-link?${new URLSearchParams({ context: 'forged.context' })}`),
      /took too long/,
    )
  })
})

describe('dynamic registration', () => {
  const register = (path: string, token = 'registration-token-1', headers: Record<string, string> = {}) =>
    api(
      `/lti/register?${new URLSearchParams({ openid_configuration: `${PLATFORM}${path}`, registration_token: token })}`,
      {
        headers,
      },
    )

  it('registers the tool with the platform at once, keeps it as a draft, and tells the LMS to close the frame', async () => {
    const res = await register('/dr/openid-configuration')
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('org.imsglobal.lti.close')
    expect(page).toContain('moodle at 127.0.0.1')
    // The script runs under a hash of its own, and nothing else would.
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/]{43}='/)
    const { lastRegistration } = (await (await fetch(`${PLATFORM}/stats`)).json()) as {
      lastRegistration: Record<string, unknown>
    }
    expect(lastRegistration).toMatchObject({
      initiate_login_uri: 'http://api.test/lti/login',
      redirect_uris: ['http://api.test/lti/launch'],
      jwks_uri: 'http://api.test/lti/jwks',
      token_endpoint_auth_method: 'private_key_jwt',
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        messages: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
      },
    })
    const list = await json<{
      items: { id: string; issuer: string; status: string; clientId: string; deploymentIds: string[] }[]
    }>(await send('GET', '/v1/admin/lti/platforms', { admin: true }), 200)
    const draft = list.items.find((p) => p.issuer === `${PLATFORM}/dr` && p.status === 'draft')
    expect(draft?.deploymentIds).toHaveLength(1)
    // A draft is not trusted: its login is refused until an admin approves it.
    const query = new URLSearchParams({
      iss: `${PLATFORM}/dr`,
      login_hint: 'u',
      target_link_uri: 'x',
      client_id: draft?.clientId ?? '',
      checked: '1',
    })
    await refusedWith(
      await api(`/lti/login?${query}`, { headers: { Cookie: 'lti_check=1' } }),
      /No live platform/,
    )
    const approved = await json<{ status: string }>(
      await send('POST', `/v1/admin/lti/platforms/${draft?.id}/approve`, { admin: true }),
      200,
    )
    expect(approved.status).toBe('live')
    expect(
      (await api(`/lti/login?${query}`, { headers: { Cookie: 'lti_check=1' }, redirect: 'manual' })).status,
    ).toBe(302)
  })

  it('is refused when the configuration names another issuer, or the platform refuses the token; and is rate-limited', async () => {
    await refusedWith(
      await register('/dr-elsewhere/openid-configuration'),
      /names the issuer https:\/\/elsewhere\.example, which is not where/,
    )
    await refusedWith(
      await register('/dr/openid-configuration', 'wrong-token'),
      /registration endpoint answered 401/,
    )
    // Three a minute here, counted in fixed minutes: seven requests always put four in one of them.
    const address = { 'cf-connecting-ip': '203.0.113.77' }
    let limited: Response | undefined
    for (let i = 0; i < 7 && limited?.status !== 429; i++)
      limited = await register('/dr-elsewhere/openid-configuration', 'x', address)
    expect(limited?.status).toBe(429)
  })
})

describe('the landed page', () => {
  it('is the learner page, framed by the approved platforms only, while / stays framed by nobody', async () => {
    const platform = await registerPlatform()
    const res = await api('/lti/app/')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<script type="module" src="/app.js"></script>')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/^default-src 'none'; script-src 'self';/)
    expect(csp).toMatch(new RegExp(`; frame-ancestors ${new URL(platform.issuer).origin}$`))
    expect(res.headers.get('x-frame-options')).toBeNull()
    // Removed, its origin may frame nothing any more.
    expect((await send('DELETE', `/v1/admin/lti/platforms/${platform.id}`, { admin: true })).status).toBe(204)
    const others = await json<{ items: unknown[] }>(
      await send('GET', '/v1/admin/lti/platforms', { admin: true }),
      200,
    )
    const after = (await api('/lti/app/')).headers.get('content-security-policy') ?? ''
    if (others.items.length === 0) expect(after).toContain("frame-ancestors 'none'")
    // The API's own answers are framed by nobody.
    expect((await api('/health')).headers.get('x-frame-options')).toBe('DENY')
  })
})

describe('the cron', () => {
  const runCron = (at = new Date()) =>
    worker.scheduled(createScheduledController({ scheduledTime: at, cron: '*/10 * * * *' }), env)

  it('keeps a learner an LMS knows, however long idle, and clears drafts nobody approved within a week', async () => {
    const platform = await registerPlatform()
    const { state, nonce, cookie } = await login(platform.issuer)
    const launched = await launch(
      { id_token: await signed({ claims: claims(platform.issuer, nonce) }), state },
      cookie,
    )
    const me = await json<{ id: string }>(
      await send('GET', '/v1/me', { cookie: cookieValue(launched, 'lti_sid') }),
      200,
    )
    const db = testDb()
    const longAgo = new Date(Date.now() - 2 * 365 * 24 * 3600 * 1000)
    await db.delete(sessions).where(eq(sessions.learnerId, me.id))
    await db.update(learners).set({ lastActiveAt: longAgo }).where(eq(learners.id, me.id))
    const draft = (age: number, name: string) => ({
      name,
      issuer: `https://${name}.example`,
      clientId: 'c',
      deploymentIds: [],
      authLoginUrl: 'https://lms.example/auth',
      accessTokenUrl: 'https://lms.example/token',
      jwksUrl: 'https://lms.example/jwks',
      status: 'draft',
      createdAt: new Date(Date.now() - age * 24 * 3600 * 1000),
    })
    await db.insert(ltiPlatforms).values([draft(8, 'stale'), draft(1, 'fresh')])
    await runCron()
    expect(await db.select({ id: learners.id }).from(learners).where(eq(learners.id, me.id))).toHaveLength(1)
    const left = await db.select({ name: ltiPlatforms.name, status: ltiPlatforms.status }).from(ltiPlatforms)
    expect(left.map((p) => p.name).sort()).toEqual([platform.name, 'fresh'].sort())
  })
})
