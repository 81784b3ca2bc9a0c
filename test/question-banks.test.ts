/**
 * Question banks through the API: a teacher's file into a unit as draft activities (all or nothing,
 * a dry run that writes nothing, a 400 that names the line), an activity out as a file, and the
 * feedback a file's choices carry reaching the learner under the review policy.
 */
import { eq } from 'drizzle-orm'
import { describe, expect, inject, it } from 'vitest'
import { activities } from '../src/db/schema.ts'
import { insertSkill, insertUnit } from './fixtures.ts'
import {
  ADMIN_TOKEN,
  api,
  completeActivity,
  countRoundTrips,
  expectProblem,
  json,
  newLearner,
  send,
  submitTokenOf,
  testDb,
} from './helpers.ts'
import giftFile from './question-banks/sample.gift.txt?raw'
import moodleFile from './question-banks/sample.moodle.xml?raw'

type Report = {
  activities: { id?: string; name: string; questionCount: number }[]
  imported: number
  skipped: { where: string; reason: string }[]
  warnings: string[]
}

async function newUnit() {
  const db = testDb()
  return insertUnit(db, (await insertSkill(db)).id)
}

const importPath = (unitId: string, query: string) => `/v1/admin/units/${unitId}/activities/import?${query}`

const upload = (unitId: string, query: string, type: string, body: BodyInit) =>
  api(importPath(unitId, query), {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': type },
    body,
  })

const packageBytes = () => Uint8Array.from(atob(inject('qtiPackageBase64')), (c) => c.charCodeAt(0))

/** The unit's activities, in their order, read from the database. */
const activitiesOf = (unitId: string) =>
  testDb()
    .select({ name: activities.name, order: activities.order })
    .from(activities)
    .where(eq(activities.unitId, unitId))
    .orderBy(activities.order)

describe('importing a question bank into a unit', () => {
  it('creates a draft activity of every question it can hold, and reports the rest with their lines', async () => {
    const unit = await newUnit()
    const report = await json<Report>(
      await upload(unit.id, 'format=gift', 'text/plain; charset=utf-8', giftFile),
      201,
    )
    expect(report.imported).toBe(11)
    expect(report.activities).toEqual([{ id: expect.any(String), name: 'Adding up', questionCount: 11 }])
    expect(report.skipped.map((s) => s.where)).toEqual(['line 42', 'line 44', 'line 46', 'line 48'])
    const activity = await json<{ status: string; content: { questions: { id: string }[] } }>(
      await send('GET', `/v1/admin/activities/${report.activities[0]?.id}`, { admin: true }),
      200,
    )
    expect(activity.status).toBe('draft')
    expect(activity.content.questions[0]).toMatchObject({ id: 'add-1', answer: 'a' })
    expect(activity.content.questions[0]).toHaveProperty('choices.0.feedback', 'Yes: two and two make four.')
  })

  it('a dry run answers the same report without ids, and writes nothing', async () => {
    const unit = await newUnit()
    const report = await json<Report>(
      await upload(unit.id, 'format=moodle-xml&dryRun=true&name=Shapes', 'application/xml', moodleFile),
      200,
    )
    expect(report.activities).toEqual([{ name: 'Shapes', questionCount: 6 }])
    expect(report.skipped).toHaveLength(7)
    expect(await activitiesOf(unit.id)).toEqual([])
  })

  it('reads a deflated QTI 3.0 package inside the Worker', async () => {
    const unit = await newUnit()
    const report = await json<Report>(
      await upload(unit.id, 'format=qti', 'application/zip', packageBytes()),
      201,
    )
    expect(report.activities).toEqual([{ id: expect.any(String), name: 'Science check', questionCount: 3 }])
    expect(report.skipped).toEqual([
      { where: 'items/essay.xml (line 2)', reason: 'its extended-text interaction has no form here' },
    ])
  })

  it('splits more than 50 questions into parts, in one round trip, placed after the unit’s activities', async () => {
    const unit = await newUnit()
    await upload(unit.id, 'format=gift&name=Already+there', 'text/plain', '::first::One? {#1}')
    const many = Array.from({ length: 120 }, (_, i) => `::q${i + 1}::What is ${i} + 1? {#${i + 1}}`).join(
      '\n\n',
    )
    const { result, roundTrips } = await countRoundTrips(() =>
      upload(unit.id, 'format=gift&name=Counting', 'text/plain', many),
    )
    const report = await json<Report>(result, 201)
    expect(roundTrips).toBe(1)
    expect(report.activities.map((a) => [a.name, a.questionCount])).toEqual([
      ['Counting — Part 1', 50],
      ['Counting — Part 2', 50],
      ['Counting — Part 3', 20],
    ])
    expect((await activitiesOf(unit.id)).map((a) => a.name)).toEqual([
      'Already there',
      ...report.activities.map((a) => a.name),
    ])
  })

  it('a file that cannot be read is a 400 naming its line, and nothing is imported', async () => {
    const unit = await newUnit()
    const res = await upload(
      unit.id,
      'format=moodle-xml',
      'application/xml',
      '<quiz>\n<question type="truefalse">\n</quiz>',
    )
    const problem = await expectProblem(res, 400)
    expect(problem.detail).toBe('The Moodle XML file cannot be read: line 3: </quiz> closes <question>.')
    const doctype = await upload(
      unit.id,
      'format=qti',
      'application/xml',
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    )
    expect((await expectProblem(doctype, 400)).detail).toMatch(/line 1: a DOCTYPE or entity declaration/)
    expect(await activitiesOf(unit.id)).toEqual([])
  })

  it('a file with no question we can hold is a 422 listing each one, and creates nothing', async () => {
    const unit = await newUnit()
    const res = await upload(
      unit.id,
      'format=gift',
      'text/plain',
      '::e::Write about it. {}\n\n::m::Match. {=a -> 1 =b -> 2}',
    )
    const problem = await expectProblem(res, 422)
    expect(problem.errors?.map((e) => e.detail)).toEqual([
      'line 1: an essay question (no answers to grade)',
      'line 3: a matching question',
    ])
    expect(await activitiesOf(unit.id)).toEqual([])
  })

  it('refuses a body of another type (415), one too large (413), and a unit that does not exist (404)', async () => {
    const unit = await newUnit()
    const json415 = await upload(unit.id, 'format=gift', 'application/json', '{}')
    expect((await expectProblem(json415, 415)).detail).toBe(
      'Send the file as text/plain, application/xml, text/xml, application/zip.',
    )
    const wrongForFormat = await upload(unit.id, 'format=gift', 'application/xml', '<quiz/>')
    expect((await expectProblem(wrongForFormat, 415)).detail).toBe('Send GIFT as text/plain.')
    const huge = await upload(unit.id, 'format=gift', 'text/plain', 'x'.repeat(2 * 1024 * 1024 + 1))
    await expectProblem(huge, 413)
    const missing = await upload(
      '00000000-0000-4000-8000-000000000000',
      'format=gift',
      'text/plain',
      giftFile,
    )
    await expectProblem(missing, 404)
    const dryMissing = await upload(
      '00000000-0000-4000-8000-000000000000',
      'format=gift&dryRun=true',
      'text/plain',
      giftFile,
    )
    await expectProblem(dryMissing, 404)
    const unauthenticated = await api(importPath(unit.id, 'format=gift'), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: giftFile,
    })
    await expectProblem(unauthenticated, 401)
  })
})

describe('exporting an activity', () => {
  it('answers each format as an attachment, names what it cannot hold, and reads back as the same questions', async () => {
    const unit = await newUnit()
    const imported = await json<Report>(
      await upload(unit.id, 'format=moodle-xml', 'application/xml', moodleFile),
      201,
    )
    const id = imported.activities[0]?.id as string
    const original = await json<{ content: { questions: unknown[] } }>(
      await send('GET', `/v1/admin/activities/${id}`, { admin: true }),
      200,
    )
    for (const [format, type, extension] of [
      ['gift', 'text/plain; charset=utf-8', 'gift.txt'],
      ['moodle-xml', 'application/xml; charset=utf-8', 'moodle.xml'],
      ['qti', 'application/zip', 'qti.zip'],
    ] as const) {
      const { result: res, roundTrips } = await countRoundTrips(() =>
        send('GET', `/v1/admin/activities/${id}/export?format=${format}`, { admin: true }),
      )
      expect(res.status).toBe(200)
      expect(roundTrips).toBe(1)
      expect(res.headers.get('content-type')).toBe(type)
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="geometry.${extension}"`)
      // The calculated question is parameterised: GIFT and QTI cannot hold it, Moodle XML can.
      expect(res.headers.get('export-skipped')).toBe(format === 'moodle-xml' ? null : 'rectangle-area')
      const back = await json<Report>(
        await upload(
          unit.id,
          `format=${format}&dryRun=true`,
          type.split(';')[0] as string,
          await res.arrayBuffer(),
        ),
        200,
      )
      expect(back.skipped).toEqual([])
      expect(back.imported).toBe(
        format === 'moodle-xml' ? original.content.questions.length : original.content.questions.length - 1,
      )
    }
  })

  it('is a 404 for an activity that does not exist, and a 400 for a format it does not know', async () => {
    await expectProblem(
      await send('GET', '/v1/admin/activities/00000000-0000-4000-8000-000000000000/export?format=gift', {
        admin: true,
      }),
      404,
    )
    const unit = await newUnit()
    const imported = await json<Report>(await upload(unit.id, 'format=gift', 'text/plain', giftFile), 201)
    await expectProblem(
      await send('GET', `/v1/admin/activities/${imported.activities[0]?.id}/export?format=docx`, {
        admin: true,
      }),
      400,
    )
  })
})

describe('feedback a file gives each choice', () => {
  const file =
    '::q1::Which is even? {=4 #Yes, 4 is even. ~3 #3 is odd: it leaves one over. ~5 #5 is odd too.}'

  async function importedActivity(type: 'practice' | 'test') {
    const unit = await newUnit()
    const report = await json<Report>(await upload(unit.id, 'format=gift', 'text/plain', file), 201)
    const id = report.activities[0]?.id as string
    const published = await send('PATCH', `/v1/admin/activities/${id}`, {
      admin: true,
      body: { type, status: 'published' },
    })
    expect(published.status).toBe(200)
    return id
  }

  it('is said to a learner who chose it where correctness is shown, and never before they answer', async () => {
    const id = await importedActivity('practice')
    const { cookie } = await newLearner()
    const page = await json(await send('GET', `/v1/activities/${id}`), 200)
    expect(JSON.stringify(page)).not.toMatch(/odd/)
    const start = await send('POST', `/v1/activities/${id}/attempts`, { cookie })
    const started = await json<{ id: string; questions: { choices: object[] }[] }>(start, 201)
    expect(JSON.stringify(started)).not.toMatch(/odd/)
    expect(started.questions[0]?.choices[0]).toEqual({ id: expect.any(String), text: expect.any(String) })
    const submitted = await send('POST', `/v1/attempts/${started.id}/submit`, {
      cookie,
      body: { response: { answers: { q1: 'b' } } },
      headers: submitTokenOf(start),
    })
    const result = await json(submitted, 200)
    const feedback = (result.attempt as { feedback: { choiceFeedback?: unknown }[] }).feedback[0]
    expect(feedback?.choiceFeedback).toEqual([{ choiceId: 'b', text: '3 is odd: it leaves one over.' }])
  })

  it('is not said where the activity shows the score only (it would tell which choice was wrong)', async () => {
    const id = await importedActivity('test')
    const { cookie } = await newLearner()
    const result = await completeActivity(cookie, id, { q1: 'b' })
    const feedback = (result.attempt as { feedback: Record<string, unknown>[] }).feedback[0]
    expect(feedback).not.toHaveProperty('choiceFeedback')
    expect(JSON.stringify(result)).not.toMatch(/odd/)
  })
})
