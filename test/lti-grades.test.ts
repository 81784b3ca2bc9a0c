/**
 * LTI grades (AGS) against the simulated platform (test/lti-platform-services.ts): a learner launched
 * from a graded link submits, the submit's batch adds the score to the outbox, the real queue delivers
 * its message to the Worker's consumer, and the platform receives the score. Direct calls of the
 * consumer pin what a message cannot show by timing: newest wins, stale and superseded scores, and
 * the dead-letter queue.
 */
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { ltiGradeLinks, ltiScores } from '../src/db/schema.ts'
import worker from '../src/index.ts'
import { decodeJwt, type Jwk, verifiedWith } from '../src/lti/jwt.ts'
import { retryDelaySeconds } from '../src/lti/queue.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { api, json, send, submitTokenOf, testDb } from './helpers.ts'
import {
  CLAIM,
  CLIENT_ID,
  claims,
  cookieValue,
  launch,
  login,
  PLATFORM,
  registerPlatform,
  signed,
} from './lti-launch.ts'

const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'
const SCORE_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
]

type Score = {
  lineItem: string
  userId: string
  scoreGiven: number
  scoreMaximum: number
  activityProgress: string
  gradingProgress: string
  timestamp: string
  contentType: string
}
type Services = {
  scores: Score[]
  grants: { assertion: string; scope: string }[]
  scoreCalls: number
  lineItems: { id: string; resourceLinkId: string; label: string; scoreMaximum: number }[]
}

const services = async () => (await (await fetch(`${PLATFORM}/services`)).json()) as Services
const behave = (asked: object) => fetch(`${PLATFORM}/behave`, { method: 'POST', body: JSON.stringify(asked) })

/** What `read` finds, once it finds it: the queue delivers within seconds (a retry within a minute). */
async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let tries = 0; tries < 600; tries++) {
    const found = await read()
    if (found !== undefined) return found
    await scheduler.wait(100)
  }
  throw new Error(`never happened: ${what}`)
}

/** The scores the platform took for this line item, once there are `count` of them. */
const scoresOf = (lineItem: string, count = 1) =>
  eventually(async () => {
    const mine = (await services()).scores.filter((score) => score.lineItem === lineItem)
    return mine.length >= count ? mine : undefined
  }, `${count} score(s) for ${lineItem}`)

let lineItems = 0
const newLineItem = (query = '') => `${PLATFORM}/lineitems/course-${++lineItems}/1${query}`

const correct = { q1: 2, q2: 'b' }
const halfRight = { q1: 3, q2: 'b' }

/** A learner's launch from a graded link naming `custom`: their session cookie. */
async function gradedLaunch(
  issuer: string,
  custom: Record<string, string>,
  grades: Record<string, unknown>,
  linkId = 'link-1',
  sub = 'user-7',
) {
  const { state, nonce, cookie } = await login(issuer)
  const token = await signed({
    claims: claims(issuer, nonce, {
      sub,
      [`${CLAIM}/custom`]: custom,
      [`${CLAIM}/resource_link`]: { id: linkId, title: 'Tides, week 3' },
      [AGS]: { scope: SCORE_SCOPES, ...grades },
    }),
  })
  const res = await launch({ id_token: token, state }, cookie)
  expect(res.status, await res.clone().text()).toBe(303)
  return cookieValue(res, 'lti_sid') as string
}

async function submit(session: string, activityId: string, answers: object) {
  const start = await send('POST', `/v1/activities/${activityId}/attempts`, { cookie: session })
  const { id } = await json<{ id: string }>(start, 201)
  return json<{
    skillState: { masteryScore: number }
    knowledge: { unitId: string; after: number }[]
  }>(
    await send('POST', `/v1/attempts/${id}/submit`, {
      cookie: session,
      body: { response: { answers } },
      headers: submitTokenOf(start),
    }),
    200,
  )
}

async function graded() {
  const db = testDb()
  const skill = await insertSkill(db)
  const unit = await insertUnit(db, skill.id)
  const activity = await insertActivity(db, unit.id)
  return { db, skill, unit, activity, platform: await registerPlatform() }
}

/** Calls the Worker's queue consumer with one message per link, as the queue would. */
async function consume(queue: string, linkIds: string[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    linkIds.map((linkId, i) => ({
      id: `m${i}`,
      timestamp: new Date(),
      attempts,
      body: { kind: 'scores', linkId },
    })),
  )
  const ctx = createExecutionContext()
  await worker.queue(batch, env)
  return getQueueResult(batch, ctx)
}

describe('grades, through the outbox and the queue', () => {
  it('an activity link reports each completed attempt’s score out of 100 to the launch’s line item, timestamps strictly increasing', {
    timeout: 90_000,
  }, async () => {
    const { activity, platform } = await graded()
    const lineItem = newLineItem('?type=practice')
    const session = await gradedLaunch(platform.issuer, { activity: activity.id }, { lineitem: lineItem })

    await submit(session, activity.id, halfRight)
    const [first] = await scoresOf(lineItem)
    expect(first).toMatchObject({
      userId: 'user-7',
      scoreGiven: 50,
      scoreMaximum: 100,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      contentType: 'application/vnd.ims.lis.v1.score+json',
    })
    // The scores URL is the line item's with /scores on its path, its query kept (AGS §3.4.1).
    expect(first?.lineItem).toBe(lineItem)

    // At once again: the next score is later, to the second, or Moodle would refuse it.
    await submit(session, activity.id, correct)
    const [, second] = await scoresOf(lineItem, 2)
    expect(second?.scoreGiven).toBe(100)
    expect(Date.parse(second?.timestamp ?? '') - Date.parse(first?.timestamp ?? '')).toBeGreaterThanOrEqual(
      1000,
    )

    // The outbox is empty and the link remembers what it sent.
    const db = testDb()
    const [link] = await db.select().from(ltiGradeLinks).where(eq(ltiGradeLinks.lineItemUrl, lineItem))
    expect(link?.sentAt?.toISOString()).toBe(second?.timestamp)
    expect(
      await db
        .select()
        .from(ltiScores)
        .where(eq(ltiScores.linkId, link?.id ?? '')),
    ).toEqual([])
  })

  it('gets its access token with a client assertion signed by its published key, cached, and renewed once after a 401', {
    timeout: 90_000,
  }, async () => {
    const { activity, platform } = await graded()
    const lineItem = newLineItem()
    const session = await gradedLaunch(platform.issuer, { activity: activity.id }, { lineitem: lineItem })
    const before = await services()
    await submit(session, activity.id, halfRight)
    await scoresOf(lineItem)
    const grants = (await services()).grants
    expect(grants.length).toBe(before.grants.length + 1)
    const grant = grants.at(-1) as Services['grants'][number]
    expect(grant.scope.split(' ').sort()).toEqual(SCORE_SCOPES)
    const assertion = decodeJwt(grant.assertion)
    expect(assertion.claims).toMatchObject({ iss: CLIENT_ID, sub: CLIENT_ID, aud: `${PLATFORM}/token` })
    expect(assertion.claims.iat).toBeLessThan(Date.now() / 1000 - 20)
    const { keys } = await json<{ keys: Jwk[] }>(await api('/lti/jwks'), 200)
    const key = keys.find((k) => k.kid === assertion.header.kid) as Jwk
    expect(await verifiedWith(assertion, key)).toBe(true)

    // The platform revokes its tokens: the cached one meets a 401, one new grant, and the score goes.
    await behave({ revokeTokens: true })
    await submit(session, activity.id, correct)
    await scoresOf(lineItem, 2)
    const after = await services()
    expect(after.grants.length).toBe(before.grants.length + 2)
    expect(after.scoreCalls).toBe(before.scoreCalls + 3)
  })

  it('a unit link and a skill link report their mastery; without a lineitem claim the tool makes one in the container', {
    timeout: 90_000,
  }, async () => {
    const { activity, unit, skill, platform } = await graded()
    const container = `${PLATFORM}/lineitems/made-${++lineItems}`
    const unitSession = await gradedLaunch(
      platform.issuer,
      { unit: unit.id },
      { lineitems: container },
      'unit-link',
    )
    await gradedLaunch(platform.issuer, { skill: skill.id }, { lineitems: container }, 'skill-link')

    const result = await submit(unitSession, activity.id, correct)
    const made = await eventually(async () => {
      const items = (await services()).lineItems.filter((item) => item.id.startsWith(container))
      return items.length === 2 ? items : undefined
    }, 'two line items made')
    expect(made.map((item) => item.resourceLinkId).sort()).toEqual(['skill-link', 'unit-link'])
    expect(made.every((item) => item.scoreMaximum === 100 && item.label === 'Tides, week 3')).toBe(true)
    const unitItem = made.find((item) => item.resourceLinkId === 'unit-link')?.id as string
    const skillItem = made.find((item) => item.resourceLinkId === 'skill-link')?.id as string
    const [unitScore] = await scoresOf(unitItem)
    const [skillScore] = await scoresOf(skillItem)
    const unitKnowledge = result.knowledge.find((k) => k.unitId === unit.id)?.after as number
    expect(unitScore?.scoreGiven).toBeCloseTo(unitKnowledge * 100, 2)
    expect(skillScore?.scoreGiven).toBeCloseTo(result.skillState.masteryScore * 100, 2)
  })

  it('a platform answering 500 gets the score again later, and takes it', { timeout: 90_000 }, async () => {
    const { activity, platform } = await graded()
    const lineItem = newLineItem()
    const session = await gradedLaunch(platform.issuer, { activity: activity.id }, { lineitem: lineItem })
    await behave({ failScores: 1 })
    const calls = (await services()).scoreCalls
    await submit(session, activity.id, correct)
    const [score] = await scoresOf(lineItem)
    expect(score?.scoreGiven).toBe(100)
    expect((await services()).scoreCalls).toBe(calls + 2)
  })
})

describe('the consumer', () => {
  /** A learner's graded link, its outbox filled by hand: what the consumer reads. */
  async function linkWithScores(scores: { score: number; secondsAgo: number }[]) {
    const { activity, platform } = await graded()
    const lineItem = newLineItem()
    await gradedLaunch(platform.issuer, { activity: activity.id }, { lineitem: lineItem }, 'link-1', 'user-9')
    const db = testDb()
    const [link] = await db.select().from(ltiGradeLinks).where(eq(ltiGradeLinks.lineItemUrl, lineItem))
    const linkId = link?.id as string
    for (const { score, secondsAgo } of scores)
      await db.insert(ltiScores).values({ linkId, score, scoredAt: new Date(Date.now() - secondsAgo * 1000) })
    return { db, linkId, lineItem }
  }

  it('sends only the newest score of a link, drops one older than what it sent, and acks', async () => {
    const { db, linkId, lineItem } = await linkWithScores([
      { score: 30, secondsAgo: 20 },
      { score: 80, secondsAgo: 10 },
    ])
    const result = await consume('lti', [linkId, linkId])
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1'])
    const sent = (await services()).scores.filter((s) => s.lineItem === lineItem)
    expect(sent.map((s) => s.scoreGiven)).toEqual([80])
    expect(await db.select().from(ltiScores).where(eq(ltiScores.linkId, linkId))).toEqual([])

    // A score older than the one sent turns up late: stale, never sent.
    await db.insert(ltiScores).values({ linkId, score: 10, scoredAt: new Date(Date.now() - 15_000) })
    await consume('lti', [linkId])
    expect((await services()).scores.filter((s) => s.lineItem === lineItem)).toHaveLength(1)
    expect(await db.select().from(ltiScores).where(eq(ltiScores.linkId, linkId))).toEqual([])
  })

  it('a score the queue was never told of (its send failed) is sent after the cron’s next run', {
    timeout: 90_000,
  }, async () => {
    const { lineItem } = await linkWithScores([{ score: 45, secondsAgo: 20 * 60 }])
    const fresh = await linkWithScores([{ score: 55, secondsAgo: 60 }])
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: '*/10 * * * *' }),
      env,
    )
    const [score] = await scoresOf(lineItem)
    expect(score?.scoreGiven).toBe(45)
    // A score a minute old may still be on its way: the cron leaves it to the queue.
    expect((await services()).scores.filter((s) => s.lineItem === fresh.lineItem)).toEqual([])
  })

  it('takes a 409 as superseded (the platform has a later score) and acks', async () => {
    const { db, linkId, lineItem } = await linkWithScores([{ score: 40, secondsAgo: 5 }])
    // The platform holds a score from the future for this user (another tool, a teacher's override).
    const token = (
      (await (
        await fetch(`${PLATFORM}/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'x' }),
        })
      ).json()) as { access_token: string }
    ).access_token
    const later = {
      userId: 'user-9',
      scoreGiven: 99,
      timestamp: new Date(Date.now() + 3_600_000).toISOString(),
    }
    await fetch(`${lineItem}/scores`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify(later),
    })
    const result = await consume('lti', [linkId])
    expect(result.explicitAcks).toEqual(['m0'])
    expect((await services()).scores.filter((s) => s.lineItem === lineItem).map((s) => s.scoreGiven)).toEqual(
      [99],
    )
    expect(await db.select().from(ltiScores).where(eq(ltiScores.linkId, linkId))).toEqual([])
  })

  it('retries a 5xx with a growing delay, gives up on a refusal at once, and the dead-letter queue records what failed, for the studio', {
    timeout: 90_000,
  }, async () => {
    const retried = await linkWithScores([
      { score: 30, secondsAgo: 2 },
      { score: 60, secondsAgo: 1 },
    ])
    const scoresOfLink = (linkId: string) =>
      retried.db.select().from(ltiScores).where(eq(ltiScores.linkId, linkId)).orderBy(ltiScores.scoredAt)
    await behave({ failScores: 1 })
    const result = await consume('lti', [retried.linkId], 3)
    expect(result.retryMessages).toEqual([{ msgId: 'm0' }])
    // getQueueResult does not report a retry's delay: the delay's rule, then.
    expect([1, 2, 3, 7, 12].map(retryDelaySeconds)).toEqual([5, 10, 20, 300, 300])
    expect(await scoresOfLink(retried.linkId)).toMatchObject([
      { score: 30, lastError: null, failedAt: null },
      { score: 60, lastError: 'the platform answered 500 to the score', failedAt: null },
    ])

    // The retries ran out: the newest is kept as failed; nothing older may go in its stead.
    const dead = await consume('lti-failed', [retried.linkId])
    expect(dead.ackAll).toBe(true)
    const [failed, ...behind] = await scoresOfLink(retried.linkId)
    expect(behind).toEqual([])
    expect(failed?.score).toBe(60)
    expect(failed?.failedAt).toBeInstanceOf(Date)
    expect(failed?.lastError).toBe('the platform answered 500 to the score')

    // A line item the platform does not have: 404, final at once, acked.
    const refused = await linkWithScores([
      { score: 50, secondsAgo: 2 },
      { score: 70, secondsAgo: 1 },
    ])
    await refused.db
      .update(ltiGradeLinks)
      .set({ lineItemUrl: `${PLATFORM}/nowhere/1` })
      .where(eq(ltiGradeLinks.id, refused.linkId))
    const final = await consume('lti', [refused.linkId])
    expect(final.explicitAcks).toEqual(['m0'])
    const [gaveUp, ...older] = await scoresOfLink(refused.linkId)
    expect(older).toEqual([])
    expect(gaveUp?.score).toBe(70)
    expect(gaveUp?.failedAt).toBeInstanceOf(Date)
    expect(gaveUp?.lastError).toBe('the platform answered 404 to the score')

    // The studio lists both, with what the platform answered; sent again, the recovered one goes through.
    const listed = await json<{ items: { learner: string; score: number; reason: string }[] }>(
      await send('GET', '/v1/admin/lti/grade-failures', { admin: true }),
      200,
    )
    expect(listed.items.map((item) => [item.score, item.reason])).toEqual([
      [70, 'the platform answered 404 to the score'],
      [60, 'the platform answered 500 to the score'],
    ])
    expect(listed.items[0]?.learner).toBe('Ada Lovelace')
    const again = await json<{ links: number }>(
      await send('POST', '/v1/admin/lti/grade-failures/retry', { admin: true }),
      200,
    )
    expect(again.links).toBe(2)
    const [recovered] = await scoresOf(retried.lineItem)
    expect(recovered?.scoreGiven).toBe(60)
  })
})
