/**
 * The authors' dashboards: the aggregates the cron keeps from the change logs must equal the same
 * numbers computed from the raw rows, after random submits, late commits, edits, merges and
 * deletions; consuming is idempotent and safe to run concurrently; classes filter live.
 */
import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { consumeChanges } from '../src/analytics/aggregates.ts'
import {
  activityDashboard,
  activityRows,
  type Source,
  skillDashboard,
  skillRows,
} from '../src/analytics/dashboards.ts'
import { activityReport, groups, skillReport } from '../src/analytics/report.ts'
import { activityContent } from '../src/content/schema.ts'
import { batchByName } from '../src/db/batch.ts'
import worker from '../src/index.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()

const content = activityContent.parse({
  questions: [
    {
      id: 'one',
      kind: 'single_choice',
      prompt: 'Pick a',
      choices: ['a', 'b', 'c'].map((id) => ({ id, text: id.toUpperCase() })),
      answer: 'a',
    },
    {
      id: 'many',
      kind: 'multiple_choice',
      prompt: 'Pick x and z',
      choices: ['x', 'y', 'z'].map((id) => ({ id, text: id.toUpperCase() })),
      answers: ['x', 'z'],
    },
    { id: 'number', kind: 'numeric', prompt: '2 + 3?', answer: 5 },
    { id: 'word', kind: 'short_text', prompt: 'Say hi', acceptedAnswers: ['hi'] },
  ],
})

/** A small seeded PRNG (mulberry32): random data, the same on every run. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomAnswers(next: () => number) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T
  const answers: Record<string, unknown> = {}
  if (next() < 0.9) answers.one = pick(['a', 'a', 'b', 'c'])
  if (next() < 0.9) answers.many = pick([['x', 'z'], ['x'], ['y'], ['x', 'y', 'z'], ['z', 'x']])
  if (next() < 0.9) answers.number = pick([5, 5, 4, 6])
  if (next() < 0.9) answers.word = pick(['hi', '=1+1', 'hello'])
  return answers
}

async function submit(cookie: string, activityId: string, answers: Record<string, unknown>) {
  const started = await json<{ id: string }>(
    await send('POST', `/v1/activities/${activityId}/attempts`, { cookie }),
    201,
  )
  await json(
    await send('POST', `/v1/attempts/${started.id}/submit`, { cookie, body: { response: { answers } } }),
    200,
  )
}

/** Numbers rounded, so sums added in another order compare equal. */
const rounded = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)),
  )

async function activityReportFrom(activityId: string, version: number, source: Source) {
  const { named } = await batchByName(db, activityDashboard(db, activityId, version, source))
  const { activity, daily, bands, questions, picks } = named
  const rows = activityRows(daily.rows, bands.rows, questions.rows, picks.rows)
  return rounded({ version: activity[0]?.version, ...activityReport(content, rows) })
}

async function skillReportFrom(skillId: string, source: Source) {
  const { named } = await batchByName(db, skillDashboard(db, skillId, source))
  return skillReport(skillRows(named.bands.rows))
}

async function expectAggregatesMatchLive(activityId: string, versions: number[], skillId: string) {
  for (const version of versions) {
    const kept = await activityReportFrom(activityId, version, { kind: 'aggregates' })
    const live = await activityReportFrom(activityId, version, { kind: 'live' })
    expect(kept, `version ${version}`).toEqual(live)
  }
  expect(await skillReportFrom(skillId, { kind: 'aggregates' })).toEqual(
    await skillReportFrom(skillId, { kind: 'live' }),
  )
}

/** Deltas logged and not consumed yet. */
async function pending() {
  const [row] = await db.$client.query(
    'SELECT (SELECT count(*) FROM attempt_changes) + (SELECT count(*) FROM skill_state_changes) AS n',
  )
  return Number(row?.n)
}

describe('analytics aggregates', () => {
  it('equal the raw rows after random submits, late commits, edits, merges and deletions', async () => {
    const next = random(20261128)
    const skill = await insertSkill(db)
    const unit = await insertUnit(db, skill.id)
    const activity = await insertActivity(db, unit.id, { type: 'test', content })
    const doomed = await insertActivity(db, unit.id, { type: 'test', content })
    const learners = await Promise.all(Array.from({ length: 8 }, () => newLearner()))

    for (const { cookie } of learners) {
      for (let i = 0; i < 2; i++) await submit(cookie, activity.id, randomAnswers(next))
    }
    await submit(learners[0]?.cookie as string, doomed.id, randomAnswers(next))
    await consumeChanges(db)
    await expectAggregatesMatchLive(activity.id, [1], skill.id)

    // An edit makes version 2; more submits on it.
    const edited = await send('PATCH', `/v1/admin/activities/${activity.id}`, {
      admin: true,
      body: { content: { ...content, passingScore: 0.5 } },
    })
    expect(edited.status).toBe(200)
    for (const { cookie } of learners.slice(0, 5)) await submit(cookie, activity.id, randomAnswers(next))

    // A late commit: completed "three days ago", written after the cron ran — a watermark would miss it.
    const late = learners[5]?.id as string
    await db.$client.query(
      `INSERT INTO attempts (learner_id, activity_id, status, content_version, score, max_score, passed,
         started_at, completed_at, feedback, response)
       VALUES ($1, $2, 'completed', 1, 1, 4, false, now() - interval '3 days 1 hour', now() - interval '3 days',
         '[{"questionId":"one","correct":false,"pointsAwarded":0},{"questionId":"many","correct":true,"pointsAwarded":1}]',
         '{"answers":{"one":"c","many":["x","z"]}}')`,
      [late, activity.id],
    )
    // A merge moves attempts to another learner: nothing the dashboards read changes, nothing is logged.
    const before = await pending()
    await db.$client.query('UPDATE attempts SET learner_id = $1 WHERE learner_id = $2', [
      learners[6]?.id,
      learners[7]?.id,
    ])
    expect(await pending()).toBe(before)
    // Deletions: a learner deleting themself, one attempt, a whole activity.
    expect((await send('DELETE', '/v1/me', { cookie: learners[1]?.cookie })).status).toBe(204)
    await db.$client.query(
      `DELETE FROM attempts WHERE id = (SELECT id FROM attempts WHERE activity_id = $1 AND status = 'completed'
         ORDER BY id LIMIT 1)`,
      [activity.id],
    )
    expect((await send('DELETE', `/v1/admin/activities/${doomed.id}`, { admin: true })).status).toBe(204)

    // Two consumers at once, then a third with nothing left: each delta counted exactly once.
    await Promise.all([consumeChanges(db), consumeChanges(db)])
    expect(await pending()).toBe(0)
    await expectAggregatesMatchLive(activity.id, [1, 2], skill.id)
    const settled = await activityReportFrom(activity.id, 1, { kind: 'aggregates' })
    expect(await consumeChanges(db)).toEqual({ attemptChanges: 0, skillStateChanges: 0 })
    expect(await activityReportFrom(activity.id, 1, { kind: 'aggregates' })).toEqual(settled)

    // The deleted activity left nothing behind.
    const leftovers = await db.$client.query(
      `SELECT (SELECT count(*) FROM activity_daily WHERE activity_id = $1) + (SELECT count(*) FROM choice_picks WHERE activity_id = $1) AS n`,
      [doomed.id],
    )
    expect(Number(leftovers[0]?.n)).toBe(0)
    // And what was compared is not empty.
    expect(settled.attempts).toBeGreaterThan(5)
    expect(settled.questions[0].choices.map((choice: { picks: number }) => choice.picks).some(Boolean)).toBe(
      true,
    )
  })

  it('are brought up to date on demand by an author (POST /v1/admin/analytics/refresh)', async () => {
    const skill = await insertSkill(db)
    const activity = await insertActivity(db, (await insertUnit(db, skill.id)).id, { type: 'test', content })
    const { cookie } = await newLearner()
    await submit(cookie, activity.id, { one: 'a', many: ['x', 'z'], number: 5, word: 'hi' })
    expect(await pending()).toBeGreaterThan(0)
    const refreshed = await json<{ attemptChanges: number }>(
      await send('POST', '/v1/admin/analytics/refresh', { admin: true }),
      200,
    )
    expect(refreshed.attemptChanges).toBeGreaterThan(0)
    expect(await pending()).toBe(0)
    expect((await activityReportFrom(activity.id, 1, { kind: 'aggregates' })).attempts).toBe(1)
  })

  it('are consumed by the Cron Trigger', async () => {
    const skill = await insertSkill(db)
    const activity = await insertActivity(db, (await insertUnit(db, skill.id)).id, { type: 'test', content })
    const { cookie } = await newLearner()
    await submit(cookie, activity.id, { one: 'a', many: ['x', 'z'], number: 5, word: 'hi' })
    expect(await pending()).toBeGreaterThan(0)
    await worker.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: '*/10 * * * *' }),
      env,
    )
    expect(await pending()).toBe(0)
    const report = await activityReportFrom(activity.id, 1, { kind: 'aggregates' })
    expect(report.attempts).toBe(1)
    expect(report.scoreDistribution[9].attempts).toBe(1)
  })
})

describe('distractor groups', () => {
  it('take the fewest bands from each end that hold 27% of the attempts, without overlap', () => {
    const bands = [
      { band: 0, attempts: 10 },
      { band: 3, attempts: 20 },
      { band: 5, attempts: 40 },
      { band: 9, attempts: 30 },
    ]
    const { top, bottom } = groups(bands)
    expect([...top.bands]).toEqual([9])
    expect(top.attempts).toBe(30)
    expect([...bottom.bands]).toEqual([0, 1, 2, 3])
    expect(bottom.attempts).toBe(30)
    const one = groups([{ band: 4, attempts: 3 }])
    expect([...one.top.bands].includes(4) && [...one.bottom.bands].includes(4)).toBe(false)
  })
})

describe('GET /v1/admin/…/analytics', () => {
  it('shows everyone from the aggregates, and one class live; a wrong class is a 404', async () => {
    const skill = await insertSkill(db)
    const activity = await insertActivity(db, (await insertUnit(db, skill.id)).id, { type: 'test', content })
    const created = await json<{ id: string; joinCode: string }>(
      await send('POST', '/v1/admin/classes', { admin: true, body: { name: 'Year 7' } }),
      201,
    )
    const pupil = await newLearner()
    const outsider = await newLearner()
    expect(
      (await send('POST', '/v1/me/classes', { cookie: pupil.cookie, body: { code: created.joinCode } }))
        .status,
    ).toBe(201)
    await submit(pupil.cookie, activity.id, { one: 'b', many: ['y'], number: 4, word: 'no' })
    await submit(outsider.cookie, activity.id, { one: 'a', many: ['x', 'z'], number: 5, word: 'hi' })
    await consumeChanges(db)

    type Report = {
      source: string
      attempts: number
      questions: {
        questionId: string
        facility: number | null
        choices: { choiceId: string; picks: number }[] | null
      }[]
    }
    const everyone = await json<Report>(
      await send('GET', `/v1/admin/activities/${activity.id}/analytics`, { admin: true }),
      200,
    )
    expect(everyone).toMatchObject({ source: 'aggregates', attempts: 2 })
    expect(everyone.questions[0]?.facility).toBe(0.5)
    const mine = await json<Report>(
      await send('GET', `/v1/admin/activities/${activity.id}/analytics?classId=${created.id}`, {
        admin: true,
      }),
      200,
    )
    expect(mine).toMatchObject({ source: 'live', attempts: 1 })
    expect(mine.questions[0]?.choices?.map((choice) => [choice.choiceId, choice.picks])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ])
    expect(mine.questions[3]?.choices).toBeNull()

    const skillView = await json<{ source: string; learners: number; funnel: Record<string, number> }>(
      await send('GET', `/v1/admin/skills/${skill.id}/analytics?classId=${created.id}`, { admin: true }),
      200,
    )
    expect(skillView).toMatchObject({ source: 'live', learners: 1, funnel: { started: 1, passedOne: 0 } })
    const allSkill = await json<{ learners: number; funnel: Record<string, number> }>(
      await send('GET', `/v1/admin/skills/${skill.id}/analytics`, { admin: true }),
      200,
    )
    expect(allSkill).toMatchObject({ learners: 2, funnel: { started: 2, passedOne: 1, passedAll: 1 } })

    const unknown = '00000000-0000-4000-8000-000000000000'
    expect(
      (await send('GET', `/v1/admin/skills/${skill.id}/analytics?classId=${unknown}`, { admin: true }))
        .status,
    ).toBe(404)
    expect((await send('GET', `/v1/admin/activities/${unknown}/analytics`, { admin: true })).status).toBe(404)
  })
})
