/** Zero-round-trip catalogue reads from the edge cache, ETags, 304s, and purges by admin writes. */
import { describe, expect, it } from 'vitest'
import { insertActivity, insertCatalogue } from './fixtures.ts'
import { ADMIN_TOKEN, callWorker, countRoundTrips, newLearner, testDb } from './helpers.ts'

const db = testDb()
const cached = { CATALOGUE_TTL_SECONDS: '60' }

/** A request to the Worker with the edge cache on, waiting for its cache writes to finish. */
const call = (path: string, init: RequestInit = {}) =>
  callWorker(new Request(`http://api.test${path}`, init), cached)

const admin = (method: string, path: string, body: unknown) =>
  call(path, {
    method,
    headers: {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('catalogue reads at the edge', () => {
  it('a hit makes zero database round trips and returns the same body and strong ETag', async () => {
    const { skill } = await insertCatalogue(db)
    const miss = await countRoundTrips(() => call(`/v1/skills/${skill.id}`))
    expect(miss.result.headers.get('x-cache')).toBe('MISS')
    expect(miss.roundTrips).toBe(1)
    const etag = miss.result.headers.get('etag')
    expect(etag).toMatch(/^"[A-Za-z0-9+/]{24}"$/)
    expect(miss.result.headers.get('cache-control')).toBe('public, max-age=60')

    const hit = await countRoundTrips(() => call(`/v1/skills/${skill.id.toUpperCase()}`))
    expect(hit.roundTrips).toBe(0)
    expect(hit.result.headers.get('x-cache')).toBe('HIT')
    expect(hit.result.headers.get('etag')).toBe(etag)
    expect(hit.result.headers.get('x-request-id')).not.toBe(miss.result.headers.get('x-request-id'))
    expect(await hit.result.text()).toBe(await miss.result.text())
  })

  it('answers If-None-Match with 304 and no body, without the database', async () => {
    const { activity } = await insertCatalogue(db)
    const first = await call(`/v1/activities/${activity.id}`)
    const etag = first.headers.get('etag') ?? ''
    const { result, roundTrips } = await countRoundTrips(() =>
      call(`/v1/activities/${activity.id}`, { headers: { 'If-None-Match': `W/${etag}, "other"` } }),
    )
    expect(result.status).toBe(304)
    expect(result.headers.get('etag')).toBe(etag)
    expect(await result.text()).toBe('')
    expect(roundTrips).toBe(0)
    expect(
      (await call(`/v1/activities/${activity.id}`, { headers: { 'If-None-Match': '"stale"' } })).status,
    ).toBe(200)
  })

  it('admin writes purge what they make stale: the activity, its unit and its skill tree', async () => {
    const { skill, unit, activity } = await insertCatalogue(db)
    for (const path of [`/v1/activities/${activity.id}`, `/v1/units/${unit.id}`, `/v1/skills/${skill.id}`])
      await call(path)
    expect((await call(`/v1/units/${unit.id}`)).headers.get('x-cache')).toBe('HIT')

    expect((await admin('PATCH', `/v1/admin/activities/${activity.id}`, { name: 'Renamed' })).status).toBe(
      200,
    )
    for (const path of [`/v1/activities/${activity.id}`, `/v1/units/${unit.id}`, `/v1/skills/${skill.id}`]) {
      const res = await call(path)
      expect(res.headers.get('x-cache'), path).toBe('MISS')
      expect(await res.text(), path).toContain('Renamed')
    }

    const added = await insertActivity(db, unit.id, { name: 'Added behind the API' })
    expect(await (await call(`/v1/units/${unit.id}`)).text()).not.toContain(added.name) // cached: converges within the TTL
    expect((await admin('PATCH', `/v1/admin/skills/${skill.id}`, { name: 'New name' })).status).toBe(200)
    const list = await call('/v1/skills')
    expect(list.headers.get('x-cache')).toBe('MISS')
    expect(await list.text()).toContain('New name')
  })

  it('moving a unit or an activity purges its old parents as well as its new ones', async () => {
    const first = await insertCatalogue(db)
    const second = await insertCatalogue(db)
    const trees = [`/v1/skills/${first.skill.id}`, `/v1/skills/${second.skill.id}`]
    const units = [`/v1/units/${first.unit.id}`, `/v1/units/${second.unit.id}`]
    const expectMisses = async (paths: string[]) => {
      for (const path of paths) expect((await call(path)).headers.get('x-cache'), path).toBe('MISS')
    }
    for (const path of [...trees, ...units]) await call(path)
    for (const path of [...trees, ...units])
      expect((await call(path)).headers.get('x-cache'), path).toBe('HIT')

    expect(
      (await admin('PATCH', `/v1/admin/activities/${first.activity.id}`, { unitId: second.unit.id })).status,
    ).toBe(200)
    await expectMisses([...trees, ...units])
    expect(await (await call(`/v1/skills/${first.skill.id}`)).text()).not.toContain(first.activity.id)

    expect(
      (await admin('PATCH', `/v1/admin/units/${first.unit.id}`, { skillId: second.skill.id })).status,
    ).toBe(200)
    await expectMisses([...trees, units[0] as string])
    expect(await (await call(`/v1/skills/${second.skill.id}`)).text()).toContain(first.unit.id)
  })

  it('deleting a skill purges its units and activities too', async () => {
    const { skill, unit, activity } = await insertCatalogue(db)
    const paths = [`/v1/skills/${skill.id}`, `/v1/units/${unit.id}`, `/v1/activities/${activity.id}`]
    for (const path of paths) expect((await call(path)).status).toBe(200)
    expect((await call(`/v1/activities/${activity.id}`)).headers.get('x-cache')).toBe('HIT')
    expect((await admin('DELETE', `/v1/admin/skills/${skill.id}`, undefined)).status).toBe(204)
    for (const path of paths) expect((await call(path)).status, path).toBe(404)
  })

  it('unpublishing a skill purges its units and activities: learners stop seeing them at once', async () => {
    const { skill, unit, activity } = await insertCatalogue(db)
    const paths = [`/v1/skills/${skill.id}`, `/v1/units/${unit.id}`, `/v1/activities/${activity.id}`]
    for (const path of paths) expect((await call(path)).status).toBe(200)
    for (const path of paths) expect((await call(path)).headers.get('x-cache'), path).toBe('HIT')
    expect((await admin('PATCH', `/v1/admin/skills/${skill.id}`, { status: 'draft' })).status).toBe(200)
    for (const path of paths) expect((await call(path)).status, path).toBe(404)
    expect((await admin('PATCH', `/v1/admin/skills/${skill.id}`, { status: 'published' })).status).toBe(200)
    for (const path of paths) expect((await call(path)).status, path).toBe(200)
  })

  it('answers each request with its own CORS headers: nothing of the origin that filled the cache is kept', async () => {
    const { skill } = await insertCatalogue(db)
    const path = `/v1/skills/${skill.id}`
    const filled = await call(path, { headers: { Origin: 'https://app.example' } })
    expect(filled.headers.get('x-cache')).toBe('MISS')
    expect(filled.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const other = await call(path, { headers: { Origin: 'http://localhost:5173' } })
    expect(other.headers.get('x-cache')).toBe('HIT')
    expect(other.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(other.headers.get('vary')).toMatch(/Origin/)
    for (const headers of [{}, { Origin: 'https://evil.example' }] as Record<string, string>[]) {
      const plain = await call(path, { headers })
      expect(plain.headers.get('x-cache')).toBe('HIT')
      expect(plain.headers.get('access-control-allow-origin')).toBeNull()
      expect(plain.headers.get('access-control-allow-credentials')).toBeNull()
      expect(plain.headers.get('vary')).toMatch(/Origin/)
    }
  })

  it('caches only canonical catalogue URLs, never learner data', async () => {
    await insertCatalogue(db)
    expect((await call('/v1/skills?limit=1')).headers.get('x-cache')).toBeNull()
    const { cookie } = await newLearner()
    const me = await call('/v1/me', { headers: { Cookie: cookie } })
    expect(me.status).toBe(200)
    expect(me.headers.get('x-cache')).toBeNull()
    expect(me.headers.get('cache-control')).toBe('private, no-store')
  })
})
