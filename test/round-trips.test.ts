/**
 * The round-trip budget, measured per route at the local endpoint's request counter: 1 for every
 * read, session creation, attempt start and submit with its start's token (2 for each reason a
 * submit falls back to reading first); 2 for passkey sign-in (merging or not); 1
 * for each admin write and passkey registration; 0 where no database is needed (passkey sign-in
 * options without a session). The measured table is printed for the record.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { submitCache } from '../src/progress/attempts/submit-snapshot.ts'
import { SUBMIT_TOKEN_TTL_MS } from '../src/progress/attempts/submit-token.ts'
import {
  ADMIN_TOKEN,
  api,
  countRoundTrips,
  json,
  newLearner,
  send,
  submitPath,
  submitTokenOf,
  testDb,
} from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'
import { type Options, SoftwareAuthenticator } from './webauthn.ts'

const SKILL = PRACTICE.skills.math
const UNIT = PRACTICE.units.addition
const ACTIVITY = PRACTICE.activities.addition
const measured: [string, number][] = []

async function expectTrips(route: string, budget: number, call: () => Promise<Response>) {
  const { result, roundTrips } = await countRoundTrips(call)
  expect(result.status, `${route}: ${await result.clone().text()}`).toBeLessThan(300)
  measured.push([route, roundTrips])
  expect(roundTrips, route).toBe(budget)
  return result
}

beforeEach(async () => {
  await buildPracticeCatalogue(testDb())
})

afterAll(() => {
  console.log(`round trips per route:\n${measured.map(([route, n]) => `  ${n}  ${route}`).join('\n')}`)
})

describe('round trips per request', () => {
  it('stay within budget on every route', async () => {
    await expectTrips('GET /health', 0, () => api('/health'))
    await expectTrips('GET /health/db', 1, () => api('/health/db'))
    await expectTrips('GET /v1/skills', 1, () => api('/v1/skills'))
    await expectTrips('GET /v1/skills/{id}', 1, () => api(`/v1/skills/${SKILL}`))
    await expectTrips('GET /v1/units/{id}', 1, () => api(`/v1/units/${UNIT}`))
    await expectTrips('GET /v1/activities/{id}', 1, () => api(`/v1/activities/${ACTIVITY}`))
    await expectTrips('GET /v1/search', 1, () => api('/v1/search?q=addition'))

    const created = await expectTrips('POST /v1/session (new)', 1, () =>
      api('/v1/session', { method: 'POST' }),
    )
    expect(created.status).toBe(201)
    const { cookie } = await newLearner()
    await expectTrips('POST /v1/session (resume)', 1, () => send('POST', '/v1/session', { cookie }))
    await expectTrips('GET /v1/me', 1, () => send('GET', '/v1/me', { cookie }))
    await expectTrips('PATCH /v1/me', 1, () =>
      send('PATCH', '/v1/me', { cookie, body: { displayName: 'Ada' } }),
    )
    const started = await expectTrips('POST /v1/activities/{id}/attempts', 1, () =>
      send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie }),
    )
    const attempt = await json<{ id: string }>(started, 201)
    const submitted = await expectTrips('POST /v1/attempts/{id}/submit (with its start’s token)', 1, () =>
      send('POST', `/v1/attempts/${attempt.id}/submit`, {
        cookie,
        body: { response: { answers: { q1: 5 } } },
        headers: submitTokenOf(started),
      }),
    )
    expect(submitPath(submitted)).toBe('one_trip')
    const second = await json<{ id: string }>(
      await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie }),
      201,
    )
    await expectTrips('POST /v1/attempts/{id}/abandon', 1, () =>
      send('POST', `/v1/attempts/${second.id}/abandon`, { cookie }),
    )
    await expectTrips('GET /v1/me/attempts', 1, () => send('GET', '/v1/me/attempts', { cookie }))
    await expectTrips('GET /v1/me/attempts/{id}', 1, () =>
      send('GET', `/v1/me/attempts/${attempt.id}`, { cookie }),
    )
    await expectTrips('GET /v1/me/activities/{id}/credit', 1, () =>
      send('GET', `/v1/me/activities/${ACTIVITY}/credit`, { cookie }),
    )
    await expectTrips('GET /v1/me/skills', 1, () => send('GET', '/v1/me/skills', { cookie }))
    await expectTrips('GET /v1/me/skills/{id}', 1, () => send('GET', `/v1/me/skills/${SKILL}`, { cookie }))
    await expectTrips('GET /v1/me/review', 1, () => send('GET', '/v1/me/review', { cookie }))
    await expectTrips('GET /v1/me/next', 1, () => send('GET', '/v1/me/next', { cookie }))
    await expectTrips('GET /v1/me/classes', 1, () => send('GET', '/v1/me/classes', { cookie }))
    await expectTrips('DELETE /v1/session', 1, () => send('DELETE', '/v1/session', { cookie }))
    const other = await newLearner()
    await expectTrips('DELETE /v1/me', 1, () => send('DELETE', '/v1/me', { cookie: other.cookie }))

    await passkeyRoutes()

    const skill = await json<{ id: string }>(
      await expectTrips('POST /v1/admin/skills', 1, () =>
        send('POST', '/v1/admin/skills', { admin: true, body: { name: 'Geo' } }),
      ),
      201,
    )
    await expectTrips('PATCH /v1/admin/skills/{id}', 1, () =>
      send('PATCH', `/v1/admin/skills/${skill.id}`, { admin: true, body: { level: 3 } }),
    )
    await expectTrips('GET /v1/admin/activities/{id}', 1, () =>
      send('GET', `/v1/admin/activities/${ACTIVITY}`, { admin: true }),
    )
    await expectTrips('GET /v1/admin/activities/{id}/stats', 1, () =>
      send('GET', `/v1/admin/activities/${ACTIVITY}/stats`, { admin: true }),
    )
    await expectTrips('GET /v1/admin/activities/{id}/attempts.csv (one page)', 1, () =>
      send('GET', `/v1/admin/activities/${ACTIVITY}/attempts.csv`, { admin: true }),
    )
    await expectTrips('GET /v1/admin/activities/{id}/analytics', 1, () =>
      send('GET', `/v1/admin/activities/${ACTIVITY}/analytics`, { admin: true }),
    )
    await expectTrips('POST /v1/admin/analytics/refresh', 1, () =>
      send('POST', '/v1/admin/analytics/refresh', { admin: true }),
    )
    await expectTrips('GET /v1/admin/skills/{id}/analytics', 1, () =>
      send('GET', `/v1/admin/skills/${SKILL}/analytics`, { admin: true }),
    )
    await expectTrips('PUT /v1/admin/skills/{id}/prerequisites/{requiredId}', 1, () =>
      send('PUT', `/v1/admin/skills/${skill.id}/prerequisites/${SKILL}`, { admin: true }),
    )
    await expectTrips('DELETE /v1/admin/skills/{id}/prerequisites/{requiredId}', 1, () =>
      send('DELETE', `/v1/admin/skills/${skill.id}/prerequisites/${SKILL}`, { admin: true }),
    )
    await expectTrips('GET /v1/admin/skills/{id}/cascade', 1, () =>
      send('GET', `/v1/admin/skills/${SKILL}/cascade`, { admin: true }),
    )
    await expectTrips('PUT /v1/admin/skills/{id}/order', 1, () =>
      send('PUT', `/v1/admin/skills/${skill.id}/order`, { admin: true, body: { units: [] } }),
    )
    const exported = await expectTrips('GET /v1/admin/catalogue/export', 1, () =>
      send('GET', '/v1/admin/catalogue/export', { admin: true }),
    )
    const document = await exported.json()
    await expectTrips('POST /v1/admin/catalogue/import?dryRun=true', 1, () =>
      send('POST', '/v1/admin/catalogue/import?dryRun=true', { admin: true, body: document }),
    )
    await expectTrips('POST /v1/admin/catalogue/import', 2, () =>
      send('POST', '/v1/admin/catalogue/import', { admin: true, body: document }),
    )
    const bank = '::q1::What is 1 + 1? {=2 ~3}'
    const importBank = (query: string) =>
      api(`/v1/admin/units/${UNIT}/activities/import?format=gift${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/plain' },
        body: bank,
      })
    await expectTrips('POST /v1/admin/units/{id}/activities/import?dryRun=true', 1, () =>
      importBank('&dryRun=true'),
    )
    await expectTrips('POST /v1/admin/units/{id}/activities/import', 1, () => importBank(''))
    await expectTrips('GET /v1/admin/activities/{id}/export', 1, () =>
      send('GET', `/v1/admin/activities/${ACTIVITY}/export?format=qti`, { admin: true }),
    )
    const platformBody = {
      name: 'Moodle',
      issuer: 'https://moodle.school.example',
      clientId: 'client-1',
      deploymentIds: ['1'],
      authLoginUrl: 'https://moodle.school.example/mod/lti/auth.php',
      accessTokenUrl: 'https://moodle.school.example/mod/lti/token.php',
      jwksUrl: 'https://moodle.school.example/mod/lti/certs.php',
    }
    const platform = await json<{ id: string }>(
      await expectTrips('POST /v1/admin/lti/platforms', 1, () =>
        send('POST', '/v1/admin/lti/platforms', { admin: true, body: platformBody }),
      ),
      201,
    )
    await expectTrips('GET /v1/admin/lti/platforms', 1, () =>
      send('GET', '/v1/admin/lti/platforms', { admin: true }),
    )
    await expectTrips('GET /lti/jwks', 0, () => api('/lti/jwks'))
    const login = new URLSearchParams({
      iss: platformBody.issuer,
      login_hint: 'u',
      target_link_uri: 'x',
      checked: '1',
    })
    // The launch itself (2 round trips: the platform, then the write) is pinned in test/lti.test.ts,
    // with the simulated platform that signs it.
    const toPlatform = await countRoundTrips(() =>
      api(`/lti/login?${login}`, { headers: { Cookie: 'lti_check=1' }, redirect: 'manual' }),
    )
    expect(toPlatform.result.status).toBe(302)
    measured.push(['GET /lti/login (to the platform)', toPlatform.roundTrips])
    expect(toPlatform.roundTrips).toBe(1)
    await expectTrips('DELETE /v1/admin/lti/platforms/{id}', 1, () =>
      send('DELETE', `/v1/admin/lti/platforms/${platform.id}`, { admin: true }),
    )
    await expectTrips('DELETE /v1/admin/skills/{id}', 1, () =>
      send('DELETE', `/v1/admin/skills/${skill.id}`, { admin: true }),
    )
  })
})

/** Register on one device, sign in on another (with and without merging), devices, export. */
async function passkeyRoutes() {
  const { cookie } = await newLearner()
  const phone = new SoftwareAuthenticator({ synced: true })
  const creation = await expectTrips('POST /v1/me/passkeys/options', 1, () =>
    send('POST', '/v1/me/passkeys/options', { cookie }),
  )
  const credential = await phone.create(await json<Options>(creation, 200))
  const registered = await expectTrips('POST /v1/me/passkeys', 1, () =>
    send('POST', '/v1/me/passkeys', { cookie, body: { credential } }),
  )
  const passkey = await json<{ id: string }>(registered, 201)
  await expectTrips('GET /v1/me/passkeys', 1, () => send('GET', '/v1/me/passkeys', { cookie }))
  await expectTrips('PATCH /v1/me/passkeys/{id}', 1, () =>
    send('PATCH', `/v1/me/passkeys/${passkey.id}`, { cookie, body: { name: 'Phone' } }),
  )

  const signInWith = async (route: string, device: string | undefined, merge: boolean) => {
    const options = await expectTrips(
      `POST /v1/session/passkey/options (${device ? 'with' : 'no'} session)`,
      device ? 1 : 0,
      () => send('POST', '/v1/session/passkey/options', { cookie: device }),
    )
    const assertion = await phone.get(await json<Options>(options, 200))
    return expectTrips(route, 2, () =>
      send('POST', '/v1/session/passkey', { cookie: device, body: { credential: assertion, merge } }),
    )
  }
  await signInWith('POST /v1/session/passkey', undefined, false)
  const anonymous = await newLearner()
  await json(await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie: anonymous.cookie }), 201)
  await signInWith('POST /v1/session/passkey (merge)', anonymous.cookie, true)

  const devices = await expectTrips('GET /v1/me/sessions', 1, () =>
    send('GET', '/v1/me/sessions', { cookie }),
  )
  const other = (await json<{ items: { id: string; current: boolean }[] }>(devices, 200)).items.find(
    (d) => !d.current,
  )
  await expectTrips('DELETE /v1/me/sessions/{id}', 1, () =>
    send('DELETE', `/v1/me/sessions/${other?.id}`, { cookie }),
  )
  await expectTrips('DELETE /v1/me/sessions', 1, () => send('DELETE', '/v1/me/sessions', { cookie }))
  await expectTrips('GET /v1/me/export', 1, () => send('GET', '/v1/me/export', { cookie }))
  await expectTrips('DELETE /v1/me/passkeys/{id}', 1, () =>
    send('DELETE', `/v1/me/passkeys/${passkey.id}`, { cookie }),
  )
}

describe('submit', () => {
  const ANSWERS = { response: { answers: { q1: 5, q2: 8, q3: 9 } } }
  const OTHER = PRACTICE.activities.takeAway

  /** A started attempt and its start's token. */
  async function start(cookie: string, activityId: string = ACTIVITY) {
    const res = await send('POST', `/v1/activities/${activityId}/attempts`, { cookie })
    const { id } = await json<{ id: string }>(res, 201)
    return { id, token: submitTokenOf(res) }
  }

  /** Submits, and checks the round trips, the status and the path Server-Timing names. */
  async function expectSubmit(
    cookie: string,
    attempt: { id: string; token: Record<string, string> },
    expected: { trips: number; status: number; path: string },
    body: unknown = ANSWERS,
  ) {
    const { result, roundTrips } = await countRoundTrips(() =>
      send('POST', `/v1/attempts/${attempt.id}/submit`, { cookie, body, headers: attempt.token }),
    )
    const label = `POST /v1/attempts/{id}/submit (${expected.path})`
    expect({ status: result.status, trips: roundTrips }, label).toEqual({
      status: expected.status,
      trips: expected.trips,
    })
    if (result.status === 200) expect(submitPath(result), label).toBe(expected.path)
    measured.push([label, roundTrips])
  }

  it('costs one round trip with its start’s token, two for each reason to read first', async () => {
    const { cookie } = await newLearner()
    await expectSubmit(cookie, await start(cookie), { trips: 1, status: 200, path: 'one_trip' })

    await expectSubmit(
      cookie,
      { ...(await start(cookie)), token: {} },
      { trips: 2, status: 200, path: 'no_token' },
    )

    const forged = await start(cookie)
    const token = forged.token['Submit-Token'] as string
    const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`
    await expectSubmit(
      cookie,
      { ...forged, token: { 'Submit-Token': tampered } },
      { trips: 2, status: 200, path: 'token_unverified' },
    )

    const first = await start(cookie)
    const second = await start(cookie, OTHER)
    await expectSubmit(
      cookie,
      { ...first, token: second.token },
      { trips: 2, status: 200, path: 'token_of_another_attempt' },
    )
    // A second tab: another submit on the skill moved the state since this start read it.
    await expectSubmit(
      cookie,
      second,
      { trips: 2, status: 200, path: 'state_moved' },
      {
        response: { answers: { q1: 5, q2: 7, q3: 'zero' } },
      },
    )

    const missed = await start(cookie)
    submitCache.clear() // as if the start had been served by another isolate
    await expectSubmit(cookie, missed, { trips: 2, status: 200, path: 'cache_miss' })

    const edited = await start(cookie)
    const renamed = await send('PATCH', `/v1/admin/units/${UNIT}`, { admin: true, body: { name: 'Sums' } })
    expect(renamed.status).toBe(200)
    await expectSubmit(cookie, edited, { trips: 2, status: 200, path: 'catalogue_changed' })

    const late = await start(cookie)
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + SUBMIT_TOKEN_TTL_MS + 1000)
      await expectSubmit(cookie, late, { trips: 2, status: 200, path: 'token_expired' })
    } finally {
      vi.useRealTimers()
    }

    // Answered after the guarded batch alone: it read why the submit cannot go on.
    const closed = await start(cookie)
    expect((await send('POST', `/v1/attempts/${closed.id}/abandon`, { cookie })).status).toBe(200)
    await expectSubmit(cookie, closed, { trips: 1, status: 409, path: 'attempt_closed' })
    const someoneElse = await newLearner()
    const theirs = await start(someoneElse.cookie)
    await expectSubmit(cookie, theirs, { trips: 1, status: 404, path: 'token_not_current' })
    // Answers that cannot be graded are refused after one read, as without a token.
    await expectSubmit(
      cookie,
      await start(cookie),
      { trips: 1, status: 400, path: 'invalid_answers' },
      {
        response: { answers: { q9: 1 } },
      },
    )
  })
})
