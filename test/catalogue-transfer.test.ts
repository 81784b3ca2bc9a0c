/** Moving a catalogue: export, import all or nothing, dry runs, prune, and the byte-for-byte round trip. */
import { sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { activities, attempts, skillStates, skills } from '../src/db/schema.ts'
import {
  ADMIN_TOKEN,
  api,
  completeActivity,
  countRoundTrips,
  expectProblem,
  json,
  newLearner,
  send,
  testDb,
} from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

const db = testDb()

type Document = {
  format: string
  version: number
  skills: {
    id: string
    name: string
    prerequisites: string[]
    units: {
      id: string
      name: string
      activities: { id: string; name: string; content: { questions: { id: string; answer?: unknown }[] } }[]
    }[]
  }[]
}
type Ids = { skills: string[]; units: string[]; activities: string[]; prerequisites: number }
type Counts = { skills: number; units: number; activities: number; prerequisites: number }
type Result = {
  dryRun: boolean
  prune: boolean
  created: Ids
  updated: Ids
  unchanged: Counts
  deleted: Ids
  kept: Counts
  pruneDestroys: { attempts: number; skillStates: number }
}

const exportText = async () => {
  const res = await send('GET', '/v1/admin/catalogue/export', { admin: true })
  expect(res.status).toBe(200)
  return res.text()
}
const importDocument = (document: unknown, query = '') =>
  api(`/v1/admin/catalogue/import${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: typeof document === 'string' ? document : JSON.stringify(document),
  })
/** The item at `index`, which the test knows is there. */
function at<T>(items: T[] | undefined, index: number): T {
  const item = items?.[index]
  if (item === undefined) throw new Error(`no item ${index}`)
  return item
}

const count = async (table: typeof skills | typeof activities | typeof attempts | typeof skillStates) =>
  Number((await db.select({ n: sql<number>`count(*)` }).from(table))[0]?.n)

beforeEach(async () => {
  await buildPracticeCatalogue(db)
})

describe('GET /v1/admin/catalogue/export', () => {
  it('is the whole catalogue in one round trip, answer keys and prerequisites included, as an attachment', async () => {
    const { result, roundTrips } = await countRoundTrips(() =>
      send('GET', '/v1/admin/catalogue/export', { admin: true }),
    )
    expect(roundTrips).toBe(1)
    expect(result.headers.get('content-disposition')).toMatch(
      /^attachment; filename="catalogue-\d{4}-\d\d-\d\d\.json"$/,
    )
    const document = await json<Document>(result, 200)
    expect(document).toMatchObject({ format: 'learning-progress-catalogue', version: 1 })
    expect(document.skills.map((s) => s.name)).toEqual(['Basic Mathematics', 'Multiplication', 'Science'])
    expect(document.skills[1]?.prerequisites).toEqual([PRACTICE.skills.math])
    const addition = document.skills[0]?.units[0]?.activities[0]
    expect(addition?.content.questions[0]).toMatchObject({ id: 'q1', answer: 5 })
    expect(JSON.stringify(document)).not.toMatch(/createdAt|updatedAt/)
  })
})

describe('POST /v1/admin/catalogue/import', () => {
  it('logs an audit line that tells a dry run from a prune, with counts and never ids', async () => {
    const document = JSON.parse(await exportText()) as { skills: unknown[] }
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {})
    await json(await importDocument({ ...document, skills: [] }, '?dryRun=true&prune=true'), 200)
    await json(await importDocument(document), 200)
    const audits = logged.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes('"admin write"'))
      .map((line) => JSON.parse(line) as Record<string, { skills?: unknown } | boolean>)
    logged.mockRestore()
    expect(audits.map(({ dryRun, prune }) => ({ dryRun, prune }))).toEqual([
      { dryRun: true, prune: true },
      { dryRun: false, prune: false },
    ])
    const [dry] = audits
    expect(dry?.deleted).toMatchObject({ skills: document.skills.length })
    expect(audits[1]?.unchanged).toMatchObject({ skills: document.skills.length })
    // Counts only: no id of the document's (the request's own id aside).
    expect(JSON.stringify(audits.map(({ requestId: _, ...line }) => line))).not.toMatch(
      /[0-9a-f]{8}-[0-9a-f]{4}-/,
    )
  })

  it('export → import into an empty database → export gives the same bytes', async () => {
    const exported = await exportText()
    await db.execute(sql`TRUNCATE skills CASCADE`)
    const result = await json<Result>(await importDocument(exported), 200)
    expect(result.created).toMatchObject({ prerequisites: 1 })
    expect(result.created.activities).toHaveLength(6)
    expect(await exportText()).toBe(exported)
    // Written by the author of the token (ADMIN_TOKEN is ada's); authors are not part of the document.
    expect(new Set((await db.select().from(skills)).map((s) => s.updatedBy))).toEqual(new Set(['ada']))
    // And importing it again changes nothing.
    const again = await json<Result>(await importDocument(exported), 200)
    expect(again.created).toEqual({ skills: [], units: [], activities: [], prerequisites: 0 })
    expect(again.updated).toEqual({ skills: [], units: [], activities: [], prerequisites: 0 })
    expect(again.unchanged).toEqual({ skills: 3, units: 4, activities: 6, prerequisites: 1 })
  })

  it('answers a dry run with what would change, in one round trip, writing nothing', async () => {
    const document = JSON.parse(await exportText()) as Document
    const { cookie } = await newLearner()
    const takeAway = PRACTICE.activities.takeAway
    await completeActivity(cookie, takeAway)
    const math = document.skills[0] as Document['skills'][number]
    math.name = 'Arithmetic'
    // Take-away practice (with the learner's attempt) leaves the document; a new activity joins.
    const subtraction = math.units[1] as Document['skills'][number]['units'][number]
    subtraction.activities = subtraction.activities.filter((a) => a.id !== takeAway)
    const fresh = { ...structuredClone(subtraction.activities[0]), id: crypto.randomUUID(), name: 'New one' }
    subtraction.activities.push(fresh as never)

    const before = await exportText()
    const { result, roundTrips } = await countRoundTrips(() =>
      importDocument(document, '?dryRun=true&prune=true'),
    )
    const plan = await json<Result>(result, 200)
    expect(roundTrips).toBe(1)
    expect(plan).toMatchObject({
      dryRun: true,
      prune: true,
      created: { skills: [], units: [], activities: [fresh.id], prerequisites: 0 },
      updated: { skills: [PRACTICE.skills.math], units: [], activities: [] },
      deleted: { skills: [], units: [], activities: [takeAway] },
      pruneDestroys: { attempts: 1, skillStates: 0 },
    })
    expect(await exportText()).toBe(before)

    // Without prune, the missing activity is kept.
    const kept = await json<Result>(await importDocument(document, '?dryRun=true'), 200)
    expect(kept.deleted.activities).toEqual([])
    expect(kept.kept).toMatchObject({ activities: 1 })
  })

  it('imports in two round trips; deletes only with prune, taking the progress on it along', async () => {
    const document = JSON.parse(await exportText()) as Document
    const { cookie } = await newLearner()
    const science = PRACTICE.activities.scientificMethod
    await completeActivity(cookie, science)
    document.skills = document.skills.filter((s) => s.id !== PRACTICE.skills.science)

    const { result, roundTrips } = await countRoundTrips(() => importDocument(document))
    expect(roundTrips).toBe(2)
    expect((await json<Result>(result, 200)).kept).toMatchObject({ skills: 1, units: 1, activities: 1 })
    expect(await count(skills)).toBe(3)

    const pruned = await json<Result>(await importDocument(document, '?prune=true'), 200)
    expect(pruned.deleted.skills).toEqual([PRACTICE.skills.science])
    expect(pruned.pruneDestroys).toEqual({ attempts: 1, skillStates: 1 })
    expect(await count(skills)).toBe(2)
    expect(await count(attempts)).toBe(0)
    expect(await count(skillStates)).toBe(0)
  })

  it('takes the knowledge a pruned activity earned with it: the states it fed are replayed from what is left', async () => {
    const { cookie, id: learnerId } = await newLearner()
    const { addition, takeAway } = PRACTICE.activities
    await completeActivity(cookie, addition, { q1: 5, q2: 8, q3: 9 })
    await completeActivity(cookie, takeAway, { q1: 5, q2: 7, q3: 'zero' })
    const stateOf = async () =>
      (await db.select().from(skillStates).where(sql`${skillStates.learnerId} = ${learnerId}`)).find(
        (state) => state.skillId === PRACTICE.skills.math,
      )
    const before = await stateOf()
    expect(Object.keys(before?.unitKnowledge ?? {})).toHaveLength(2)

    const document = JSON.parse(await exportText()) as Document
    const math = document.skills.find((skill) => skill.id === PRACTICE.skills.math)
    const subtraction = math?.units.find((unit) => unit.id === PRACTICE.units.subtraction)
    if (!subtraction) throw new Error('the practice catalogue has subtraction')
    subtraction.activities = subtraction.activities.filter((a) => a.id !== takeAway)
    await json(await importDocument(document, '?prune=true'), 200)

    // What one learner who only ever did the addition would have: its unit alone learned.
    const after = await stateOf()
    expect(after?.version).toBe((before?.version ?? 0) + 1)
    expect(Object.keys(after?.unitKnowledge ?? {})).toEqual([PRACTICE.units.addition])
    expect(after?.unitKnowledge[PRACTICE.units.addition]).toBe(before?.unitKnowledge[PRACTICE.units.addition])
    expect(after?.masteryScore).toBeLessThan(before?.masteryScore ?? 0)
  })

  it('refuses a document with an error anywhere, pointing at it, and writes nothing', async () => {
    const document = JSON.parse(await exportText()) as Document
    const question = document.skills[2]?.units[0]?.activities[0]?.content.questions[0] as Record<
      string,
      unknown
    >
    question.answer = 'z' // not one of its choices
    at(document.skills, 0).name = 'Renamed'
    const problem = await expectProblem(await importDocument(document), 400)
    expect(problem.errors?.map((e) => e.pointer)).toEqual([
      '#/skills/2/units/0/activities/0/content/questions/0/answer',
    ])
    expect((await db.select().from(skills)).map((s) => s.name)).not.toContain('Renamed')

    const duplicate = JSON.parse(await exportText()) as Document
    at(at(duplicate.skills, 1).units, 0).id = at(at(duplicate.skills, 0).units, 0).id
    const twice = await expectProblem(await importDocument(duplicate), 400)
    expect(twice.errors).toEqual([
      { pointer: '#/skills/1/units/0/id', detail: 'this id is already used at #/skills/0/units/0/id' },
    ])

    const cyclic = JSON.parse(await exportText()) as Document
    at(cyclic.skills, 0).prerequisites = [PRACTICE.skills.multiplication]
    const cycle = await expectProblem(await importDocument(cyclic), 400)
    expect(cycle.errors?.[0]?.detail).toMatch(/close a cycle: .*Basic Mathematics.*Multiplication/)
  })

  it('takes documents beyond the admin body limit, up to its own', async () => {
    const document = JSON.parse(await exportText()) as Document
    const unit = at(at(document.skills, 0).units, 0)
    const template = at(unit.activities, 0)
    // ~700 KiB: over the 512 KiB of other admin routes.
    unit.activities = Array.from({ length: 400 }, (_, i) => ({
      ...structuredClone(template),
      id: crypto.randomUUID(),
      name: `Bulk ${i}`,
      description: 'x'.repeat(1500),
    }))
    const body = JSON.stringify(document)
    expect(body.length).toBeGreaterThan(512 * 1024)
    const result = await json<Result>(await importDocument(body, '?prune=true'), 200)
    expect(result.created.activities).toHaveLength(400)
    // The unit's two activities are replaced by the 400 (prune): 6 − 2 + 400.
    expect(await count(activities)).toBe(404)
    await expectProblem(await importDocument(' '.repeat(4 * 1024 * 1024 + 1)), 413)
  })
})
