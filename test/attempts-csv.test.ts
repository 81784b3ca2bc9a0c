import { exports } from 'cloudflare:workers'
import { neonConfig } from '@neondatabase/serverless'
import { describe, expect, it, vi } from 'vitest'
import { CSV_COLUMNS, CSV_MAX_ATTEMPTS, CSV_PAGE_ATTEMPTS, csvCell } from '../src/analytics/attempts-csv.ts'
import { activityContent } from '../src/content/schema.ts'
import { insertActivity, insertCatalogue, insertSkill, insertUnit, sampleContent } from './fixtures.ts'
import { ADMIN_TOKEN, api, completeActivity, expectProblem, newLearner, send, testDb } from './helpers.ts'

const db = testDb()

/** RFC 4180, read strictly: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"' && field === '') quoted = true
    else if (char === ',') {
      record.push(field)
      field = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += char
  }
  expect(field === '' && record.length === 0, 'the last record ends with CRLF').toBe(true)
  return records
}

const download = (activityId: string, query = '') =>
  api(`/v1/admin/activities/${activityId}/attempts.csv${query}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  })

/** The CSV as objects keyed by column, after checking the header row. */
async function rowsOf(res: Response) {
  const text = await res.text()
  expect(res.status, text).toBe(200)
  const [header, ...records] = parseCsv(text)
  expect(header).toEqual([...CSV_COLUMNS])
  return records.map((record) => Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, record[i]])))
}

const content = activityContent.parse({
  questions: [
    { id: 'n', kind: 'numeric', prompt: 'Temperature?', answer: -3, tolerance: 0.5 },
    {
      id: 's',
      kind: 'single_choice',
      prompt: 'Pick',
      choices: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
      ],
      answer: 'a',
    },
    {
      id: 'm',
      kind: 'multiple_choice',
      prompt: 'Pick some',
      choices: [
        { id: 'x', text: 'X' },
        { id: 'y', text: 'Y' },
        { id: 'z', text: 'Z' },
      ],
      answers: ['x', 'z'],
    },
    { id: 't', kind: 'short_text', prompt: 'Say', acceptedAnswers: ['hello'] },
  ],
})

/** Completed attempts in bulk, three per instant (the keyset's tie-break on id is exercised). */
async function insertCompletedAttempts(activityId: string, total: number) {
  await db.$client.transaction((sql) => [
    sql`INSERT INTO learners (display_name) SELECT 'csv-' || n FROM generate_series(1, 50) n`,
    sql`INSERT INTO attempts
        (learner_id, activity_id, status, score, max_score, passed, started_at, completed_at, feedback, response)
      SELECT l.id, ${activityId}, 'completed', 1, 2, false, '2025-12-31',
        '2026-01-01'::timestamptz + (n / 3) * interval '1 microsecond',
        '[{"questionId":"q1","correct":true,"pointsAwarded":1,"points":1},{"questionId":"q2","correct":false,"pointsAwarded":0,"points":1}]',
        '{"answers":{"q1":2}}'
      FROM generate_series(1, ${total}) n
      JOIN (SELECT id, row_number() OVER () - 1 AS k FROM learners WHERE display_name LIKE 'csv-%') l
        ON l.k = n % 50`,
  ])
}

describe('GET /v1/admin/activities/{id}/attempts.csv', () => {
  it('neutralises formulas in text cells, quotes as RFC 4180 asks, and leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`)
    for (const start of ['+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1`).replaceAll('"', '')).toMatch(/^'/)
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
    expect(csvCell(-3)).toBe('-3')
    expect(csvCell(false)).toBe('false')
    expect(csvCell(null)).toBe('')
    expect(csvCell('plain')).toBe('plain')
  })

  it('has one row per question of each completed attempt, pseudonymous learners and the answers as typed', async () => {
    const skill = await insertSkill(db)
    const unit = await insertUnit(db, skill.id)
    const activity = await insertActivity(db, unit.id, { content })
    const first = await newLearner()
    const second = await newLearner()
    const injected = '=1+2, "quoted"\nand a line'
    await completeActivity(first.cookie, activity.id, { n: -3.2, s: 'b', m: ['z', 'x'], t: injected })
    await completeActivity(first.cookie, activity.id, { n: 7, t: 'hello' })
    await completeActivity(second.cookie, activity.id, { s: 'a' })
    // An attempt still in progress is not in the file.
    await api(`/v1/activities/${activity.id}/attempts`, {
      method: 'POST',
      headers: { Cookie: second.cookie },
    })

    const res = await download(activity.id)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="activity-${activity.id}-attempts.csv"`,
    )
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('link')).toBeNull()
    const rows = await rowsOf(res)
    expect(rows).toHaveLength(3 * 4)
    expect(new Set(rows.map((row) => row.attempt_id)).size).toBe(3)
    expect(
      rows.slice(0, 4).map((row) => [row.question_id, row.answer, row.correct, row.points_awarded]),
    ).toEqual([
      ['n', '-3.2', 'true', '1'],
      ['s', 'b', 'false', '0'],
      ['m', 'z;x', 'true', '1'],
      ['t', `'${injected}`, 'false', '0'],
    ])
    expect(rows[0]).toMatchObject({
      content_version: '1',
      score: '2',
      max_score: '4',
      passed: 'false',
      points: '1',
    })
    // Unanswered questions are empty cells; completed_at orders the rows.
    expect(rows.slice(4, 8).map((row) => row.answer)).toEqual(['7', '', '', 'hello'])
    const completed = rows.map((row) => row.completed_at as string)
    expect([...completed].sort()).toEqual(completed)
    expect(completed[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)

    const pseudonyms = [...new Set(rows.map((row) => row.learner))]
    expect(pseudonyms).toHaveLength(2)
    for (const pseudonym of pseudonyms) expect(pseudonym).toMatch(/^[0-9a-f]{32}$/)
    const text = await (await download(activity.id)).text()
    expect(text).not.toContain(first.id)
    expect(text).not.toContain(second.id)
    // Stable across downloads: a researcher can follow a learner.
    expect(new Set((await rowsOf(await download(activity.id))).map((row) => row.learner))).toEqual(
      new Set(pseudonyms),
    )
  })

  it('filters by content version and answers a 404 problem for an unknown activity', async () => {
    const { activity } = await insertCatalogue(db)
    const { cookie } = await newLearner()
    await completeActivity(cookie, activity.id, { q1: 2 })
    const edited = await send('PATCH', `/v1/admin/activities/${activity.id}`, {
      admin: true,
      body: { content: { ...sampleContent, passingScore: 1 } },
    })
    expect(edited.status).toBe(200)
    await completeActivity(cookie, activity.id, { q1: 2 })
    const versions = (await rowsOf(await download(activity.id))).map((row) => row.content_version)
    expect(versions).toEqual(['1', '1', '2', '2'])
    const second = await rowsOf(await download(activity.id, '?version=2'))
    expect(second.map((row) => row.content_version)).toEqual(['2', '2'])
    expect(await rowsOf(await download(activity.id, '?version=9'))).toEqual([])

    await expectProblem(await download('00000000-0000-4000-8000-000000000000'), 404)
    await expectProblem(await download(activity.id, '?cursor=nonsense'), 400)
  })

  it('ends a download whose later page fails as failed, never as a complete file', async () => {
    const { activity } = await insertCatalogue(db)
    await insertCompletedAttempts(activity.id, CSV_PAGE_ATTEMPTS + 1)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    let requests = 0
    neonConfig.fetchFunction = (url: string, init: RequestInit) =>
      ++requests === 1 ? fetch(url, init) : Promise.resolve(new Response('down', { status: 503 }))
    try {
      // Not through api(): its checks read the body, and this body fails on purpose.
      const res = await exports.default.fetch(
        new Request(`http://api.test/v1/admin/activities/${activity.id}/attempts.csv`, {
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        }),
      )
      expect(res.status).toBe(200)
      await expect(res.text()).rejects.toThrow()
      const lines = logged.mock.calls.map(([line]) => String(line))
      expect(lines.some((line) => line.includes('csv_stream_failed'))).toBe(true)
      for (const line of lines) expect(line).not.toMatch(/SELECT|params|postgres:\/\//)
    } finally {
      neonConfig.fetchFunction = undefined
      logged.mockRestore()
    }
  })

  it('streams every page in order, and past the cap points at the rest with Link: rel="next"', async () => {
    const { activity } = await insertCatalogue(db)
    const total = CSV_MAX_ATTEMPTS + CSV_PAGE_ATTEMPTS + 7
    await insertCompletedAttempts(activity.id, total)
    const res = await download(activity.id)
    const link = res.headers.get('link')
    const firstPart = await rowsOf(res)
    expect(firstPart).toHaveLength(CSV_MAX_ATTEMPTS * 2)
    expect(link).toMatch(/^<\/v1\/admin\/activities\/[0-9a-f-]+\/attempts\.csv\?cursor=[\w-]+>; rel="next"$/)
    const next = (link as string).slice(1, (link as string).indexOf('>'))
    const rest = await rowsOf(await api(next, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }))
    expect(rest).toHaveLength((total - CSV_MAX_ATTEMPTS) * 2)

    const ids = [...firstPart, ...rest].map((row) => row.attempt_id)
    expect(new Set(ids).size).toBe(total)
    const keys = [...firstPart, ...rest].map((row) => `${row.completed_at} ${row.attempt_id}`)
    expect(keys).toEqual([...keys].sort())
  })
})
