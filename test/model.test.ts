/**
 * A model-based test (fast-check commands): sessions, attempts started with new or replayed
 * Idempotency-Keys, submits, abandons and reads, checked after every step against a small in-memory
 * model of what each learner has done.
 */
import fc from 'fast-check'
import { beforeEach, describe, expect, it } from 'vitest'
import { api, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE, practiceActivities, practiceUnits } from './practice-catalogue.ts'

const PERFECT: Record<string, Record<string, unknown>> = {
  [PRACTICE.activities.addition]: { q1: 5, q2: 8, q3: 9 },
  [PRACTICE.activities.additionQuiz]: { q1: 'b', q2: ['a', 'c'], q3: 42 },
  [PRACTICE.activities.takeAway]: { q1: 5, q2: 7, q3: 'zero' },
  [PRACTICE.activities.challenge]: { q1: 63, q2: 4.5, q3: 'b' },
  [PRACTICE.activities.scientificMethod]: { q1: 'a', q2: ['a', 'b'], q3: 'hypothesis' },
}
const ACTIVITIES = Object.keys(PERFECT)
const skillOf = (activityId: string) => {
  const unitId = practiceActivities.find((a) => a.id === activityId)?.unitId
  return practiceUnits.find((u) => u.id === unitId)?.skillId as string
}

type ModelAttempt = {
  id: string
  activityId: string
  status: 'in_progress' | 'completed' | 'abandoned'
  passed: boolean
}
type Model = {
  cookie: string | null
  attempts: ModelAttempt[]
  lastStart: { key: string; activityId: string; id: string; status: number } | null
}
type Real = { steps: number }

function call(model: Model, method: string, path: string, extra: { key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {}
  if (model.cookie) headers.Cookie = model.cookie
  if (extra.key) headers['Idempotency-Key'] = extra.key
  if (extra.body !== undefined) headers['Content-Type'] = 'application/json'
  return api(path, {
    method,
    headers,
    body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
  })
}

class NewSession implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(model: Model) {
    const res = await api('/v1/session', { method: 'POST' })
    expect(res.status).toBe(201)
    model.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string
    model.attempts = []
    model.lastStart = null
  }
  toString = () => 'NewSession'
}

class Start implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly activity: number,
    readonly replay: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.cookie !== null && (!this.replay || model.lastStart !== null)
  async run(model: Model) {
    const previous = model.lastStart
    const activityId = this.replay && previous ? previous.activityId : (ACTIVITIES[this.activity] as string)
    const key = this.replay && previous ? previous.key : crypto.randomUUID()
    const res = await call(model, 'POST', `/v1/activities/${activityId}/attempts`, { key })
    const { id } = (await res.json()) as { id: string }
    if (this.replay && previous) {
      // The first answer again, whatever happened to the attempt since.
      expect(res.status).toBe(previous.status)
      expect(id).toBe(previous.id)
      expect(res.headers.get('idempotent-replayed')).toBe('true')
      return
    }
    // One open attempt per activity: starting again answers it.
    const open = model.attempts.find((a) => a.activityId === activityId && a.status === 'in_progress')
    expect(res.status).toBe(open ? 200 : 201)
    if (open) expect(id).toBe(open.id)
    else model.attempts.push({ id, activityId, status: 'in_progress', passed: false })
    model.lastStart = { key, activityId, id, status: res.status }
  }
  toString = () => `Start(${this.activity}${this.replay ? ', replay' : ''})`
}

class Submit implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly correct: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.cookie !== null && model.attempts.length > 0
  async run(model: Model) {
    const attempt = model.attempts[this.pick % model.attempts.length] as ModelAttempt
    const answers = this.correct ? PERFECT[attempt.activityId] : {}
    const res = await call(model, 'POST', `/v1/attempts/${attempt.id}/submit`, {
      body: { response: { answers } },
    })
    if (attempt.status !== 'in_progress') return expect(res.status).toBe(409)
    expect(res.status).toBe(200)
    attempt.status = 'completed'
    attempt.passed = this.correct
  }
  toString = () => `Submit(${this.pick}, ${this.correct ? 'right' : 'wrong'})`
}

class Abandon implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.cookie !== null && model.attempts.length > 0
  async run(model: Model) {
    const attempt = model.attempts[this.pick % model.attempts.length] as ModelAttempt
    const res = await call(model, 'POST', `/v1/attempts/${attempt.id}/abandon`)
    if (attempt.status !== 'in_progress') return expect(res.status).toBe(409)
    expect(res.status).toBe(200)
    attempt.status = 'abandoned'
  }
  toString = () => `Abandon(${this.pick})`
}

class Read implements fc.AsyncCommand<Model, Real> {
  check = (model: Readonly<Model>) => model.cookie !== null
  async run(model: Model) {
    const page = (await (await call(model, 'GET', '/v1/me/attempts?limit=100')).json()) as {
      items: { id: string; status: string }[]
    }
    const seen = Object.fromEntries(page.items.map((a) => [a.id, a.status]))
    expect(seen).toEqual(Object.fromEntries(model.attempts.map((a) => [a.id, a.status])))

    const skills = (await (await call(model, 'GET', '/v1/me/skills')).json()) as {
      items: { skillId: string; progress: number }[]
    }
    for (const skill of skills.items) {
      const ofSkill = ACTIVITIES.filter((a) => skillOf(a) === skill.skillId)
      if (ofSkill.length === 0) continue // a skill the model does not drive
      const passed = ofSkill.filter((a) => model.attempts.some((t) => t.activityId === a && t.passed))
      expect(skill.progress, skill.skillId).toBeCloseTo(passed.length / ofSkill.length, 12)
    }
  }
  toString = () => 'Read'
}

beforeEach(async () => {
  await buildPracticeCatalogue(testDb())
})

describe('the API agrees with a model of learners, attempts and idempotent retries', () => {
  it('after every command', async () => {
    const commands = [
      fc.constant(new NewSession()),
      fc.tuple(fc.nat(ACTIVITIES.length - 1), fc.boolean()).map(([a, replay]) => new Start(a, replay)),
      fc.tuple(fc.nat(), fc.boolean()).map(([pick, correct]) => new Submit(pick, correct)),
      fc.nat().map((pick) => new Abandon(pick)),
      fc.constant(new Read()),
    ]
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 20 }), async (cmds) => {
        runs++
        await fc.asyncModelRun(
          () => ({ model: { cookie: null, attempts: [], lastStart: null }, real: { steps: 0 } }),
          cmds,
        )
      }),
      { numRuns: 12 },
    )
    expect(runs).toBeGreaterThanOrEqual(12)
  }, 120_000)
})
