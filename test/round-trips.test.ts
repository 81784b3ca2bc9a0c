/**
 * The round-trip budget, measured per route at the local endpoint's request counter: 1 for every
 * read, session creation and attempt start; 2 for submit and passkey sign-in (merging or not); 1
 * for each admin write and passkey registration; 0 where no database is needed (passkey sign-in
 * options without a session). The measured table is printed for the record.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { SEED_IDS, seed } from '../scripts/seed.ts'
import { api, countRoundTrips, json, newLearner, send, testDb } from './helpers.ts'
import { type Options, SoftwareAuthenticator } from './webauthn.ts'

const SKILL = SEED_IDS.skills.math
const UNIT = SEED_IDS.units.addition
const ACTIVITY = SEED_IDS.activities.addition
const measured: [string, number][] = []

async function expectTrips(route: string, budget: number, call: () => Promise<Response>) {
  const { result, roundTrips } = await countRoundTrips(call)
  expect(result.status, `${route}: ${await result.clone().text()}`).toBeLessThan(300)
  measured.push([route, roundTrips])
  expect(roundTrips, route).toBe(budget)
  return result
}

beforeEach(async () => {
  await seed(testDb())
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
    await expectTrips('POST /v1/attempts/{id}/submit', 2, () =>
      send('POST', `/v1/attempts/${attempt.id}/submit`, {
        cookie,
        body: { response: { answers: { q1: 5 } } },
      }),
    )
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
