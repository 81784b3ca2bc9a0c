/**
 * The submit token and what it depends on: signed under SESSION_SECRETS (rotating with them), never
 * trusted when it does not verify, left out of the Idempotency-Key fingerprint, carrying no answer
 * key; and the catalogue version each catalogue write moves.
 */
import { env } from 'cloudflare:workers'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { skillCatalogueVersions } from '../src/db/schema.ts'
import { fromBase64Url } from '../src/lib/encoding.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { callWorker, json, newLearner, send, submitPath, submitTokenOf, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()
const ACTIVITY = PRACTICE.activities.addition
const ANSWERS = { response: { answers: { q1: 5, q2: 8, q3: 9 } } }
const [CURRENT = '', PREVIOUS = ''] = env.SESSION_SECRETS.split(',')
const NEXT = 'the-secret-rotated-in-next-0123456789'

const request = (path: string, cookie: string, headers: Record<string, string> = {}, body?: unknown) =>
  new Request(`http://api.test${path}`, {
    method: 'POST',
    headers: {
      Cookie: cookie,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('the submit token', () => {
  it('still verifies once a new secret is rotated in; one signed with a secret no longer listed is ignored and logged', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const start = await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie })
    const { id } = await json<{ id: string }>(start, 201)
    const rotated = await callWorker(
      request(`/v1/attempts/${id}/submit`, cookie, submitTokenOf(start), ANSWERS),
      {
        SESSION_SECRETS: `${NEXT},${CURRENT},${PREVIOUS}`,
      },
    )
    expect(rotated.status).toBe(200)
    expect(submitPath(rotated)).toBe('one_trip')

    // Signed by a secret this deployment does not list (the cookie still verifies with CURRENT).
    const elsewhere = await callWorker(
      request(`/v1/activities/${PRACTICE.activities.takeAway}/attempts`, cookie),
      {
        SESSION_SECRETS: `${NEXT},${CURRENT}`,
      },
    )
    const other = await json<{ id: string }>(elsewhere, 201)
    const warn = vi.spyOn(console, 'warn')
    const before = warn.mock.calls.length
    const ignored = await send('POST', `/v1/attempts/${other.id}/submit`, {
      cookie,
      body: { response: { answers: { q1: 5, q2: 7, q3: 'zero' } } },
      headers: submitTokenOf(elsewhere),
    })
    expect(ignored.status).toBe(200)
    expect(submitPath(ignored)).toBe('token_unverified')
    const events = warn.mock.calls.slice(before).map((call) => JSON.parse(String(call[0])))
    expect(events).toContainEqual(
      expect.objectContaining({
        event: 'ignored',
        reason: 'submit_token_unverified',
        route: '/v1/attempts/:attemptId/submit',
      }),
    )
  })

  it('is not part of the Idempotency-Key fingerprint: a retry with a refreshed token replays', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const first = await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie })
    const { id } = await json<{ id: string }>(first, 201)
    // A reload: the same attempt, and a token read afresh.
    const reload = await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie })
    expect((await json<{ id: string }>(reload, 200)).id).toBe(id)
    expect(submitTokenOf(reload)).not.toEqual(submitTokenOf(first))

    const key = { 'Idempotency-Key': '"retry-with-a-new-token"' }
    const path = `/v1/attempts/${id}/submit`
    const answered = await send('POST', path, {
      cookie,
      body: ANSWERS,
      headers: { ...key, ...submitTokenOf(first) },
    })
    const retried = await send('POST', path, {
      cookie,
      body: ANSWERS,
      headers: { ...key, ...submitTokenOf(reload) },
    })
    expect(submitPath(answered)).toBe('one_trip')
    expect(retried.status).toBe(200)
    expect(retried.headers.get('idempotent-replayed')).toBe('true')
    expect(await retried.json()).toEqual(await answered.json())
  })

  it('carries the learner’s own progress, never an answer key', async () => {
    await buildPracticeCatalogue(db)
    const { cookie } = await newLearner()
    const start = await send('POST', `/v1/activities/${ACTIVITY}/attempts`, { cookie })
    const [payload = ''] = (submitTokenOf(start)['Submit-Token'] as string).split('.')
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)))
    expect(Object.keys(claims).sort()).toEqual(
      [
        'activityId',
        'attemptId',
        'catalogueVersion',
        'completed',
        'contentVersion',
        'expiresAt',
        'format',
        'history',
        'learnerId',
        'ordinal',
        'passed',
        'questions',
        'seed',
        'skillId',
        'state',
        'stateVersion',
      ].sort(),
    )
    expect(JSON.stringify(claims)).not.toMatch(/answer|content"|prompt/)
  })
})

describe('a skill’s catalogue version', () => {
  const versionOf = async (skillId: string) =>
    (await db.select().from(skillCatalogueVersions).where(eq(skillCatalogueVersions.skillId, skillId)))[0]
      ?.version

  it('moves with every write of the skill, its units and its activities, and only of that skill', async () => {
    const skill = await insertSkill(db)
    const other = await insertSkill(db)
    expect(await versionOf(skill.id)).toBe(1)
    const unit = await insertUnit(db, skill.id)
    expect(await versionOf(skill.id)).toBe(2)
    const activity = await insertActivity(db, unit.id)
    expect(await versionOf(skill.id)).toBe(3)
    await db.execute(sql`UPDATE activities SET name = 'Renamed' WHERE id = ${activity.id}`)
    await db.execute(sql`UPDATE skills SET metadata = '{"bkt":{"pInit":0.2}}' WHERE id = ${skill.id}`)
    expect(await versionOf(skill.id)).toBe(5)
    expect(await versionOf(other.id)).toBe(1)

    // A unit moved to another skill moves both.
    await db.execute(sql`UPDATE units SET skill_id = ${other.id} WHERE id = ${unit.id}`)
    expect([await versionOf(skill.id), await versionOf(other.id)]).toEqual([6, 2])
    await db.execute(sql`DELETE FROM activities WHERE id = ${activity.id}`)
    expect(await versionOf(other.id)).toBe(3)
    // Deleting a skill takes its units (whose triggers find it gone) and its version along.
    await db.execute(sql`DELETE FROM skills WHERE id = ${other.id}`)
    expect(await versionOf(other.id)).toBeUndefined()
  })
})
