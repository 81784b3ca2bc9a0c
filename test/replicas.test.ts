/**
 * Read replicas through Drizzle's withReplicas: two local endpoints on one database, each with its
 * own request counter. Catalogue reads go to the replica; writes, and every learner batch (which
 * writes and must read its own writes, right after a submit), go to the primary.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, callWorker, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const withReplica = { DATABASE_URL_REPLICA: 'postgres://test:test@replica.localtest.me/test' }

const requests = async (base: string) =>
  ((await (await fetch(`${base}/_local/stats`)).json()) as { requests: number }).requests

async function trips(call: () => Response | Promise<Response>) {
  const [primaryBefore, replicaBefore] = [
    await requests(env.LOCAL_NEON_URL),
    await requests(env.LOCAL_NEON_REPLICA_URL),
  ]
  const res = await call()
  expect(res.status, await res.clone().text()).toBeLessThan(300)
  return {
    res,
    primary: (await requests(env.LOCAL_NEON_URL)) - primaryBefore,
    replica: (await requests(env.LOCAL_NEON_REPLICA_URL)) - replicaBefore,
  }
}

const call = (path: string, init: RequestInit = {}) =>
  callWorker(new Request(`http://api.test${path}`, init), withReplica)

describe('with DATABASE_URL_REPLICA', () => {
  it('catalogue reads go to the replica only', async () => {
    await buildPracticeCatalogue(testDb())
    for (const path of [
      '/v1/skills',
      `/v1/skills/${PRACTICE.skills.math}`,
      `/v1/activities/${PRACTICE.activities.addition}`,
    ]) {
      expect(await trips(() => call(path)), path).toMatchObject({ primary: 0, replica: 1 })
    }
  })

  it('writes, and learner batches right after them, go to the primary only', async () => {
    await buildPracticeCatalogue(testDb())
    const created = await trips(() =>
      call('/v1/admin/skills', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Written to the primary' }),
      }),
    )
    expect(created).toMatchObject({ primary: 1, replica: 0 })

    const session = await trips(() => call('/v1/session', { method: 'POST' }))
    expect(session).toMatchObject({ primary: 1, replica: 0 })
    const cookie = (session.res.headers.get('set-cookie') ?? '').split(';')[0] as string
    const start = await trips(() =>
      call(`/v1/activities/${PRACTICE.activities.addition}/attempts`, {
        method: 'POST',
        headers: { Cookie: cookie },
      }),
    )
    const { id } = (await start.res.json()) as { id: string }
    const submit = await trips(() =>
      call(`/v1/attempts/${id}/submit`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        body: JSON.stringify({ response: { answers: { q1: 5, q2: 8, q3: 9 } } }),
      }),
    )
    expect([start.replica, submit.primary, submit.replica]).toEqual([0, 2, 0])
    const progress = await trips(() => call('/v1/me/skills', { headers: { Cookie: cookie } }))
    expect(progress).toMatchObject({ primary: 1, replica: 0 })
    expect(await progress.res.text()).toContain('"status":"in_progress"')
  })
})
