/**
 * An activity's completed attempts as CSV, for researchers: one row per question of each attempt
 * ("long" format, what R, pandas and IRT tools read directly), in completion order.
 *
 * - RFC 4180: CRLF line ends, a field with a comma, quote, CR or LF is quoted and its quotes doubled.
 * - Formula injection (CWE-1236): a spreadsheet runs a text cell that starts with `=`, `+`, `-`, `@`,
 *   tab or CR as a formula, and learners type the short-text answers. Such text cells get a leading
 *   `'`, which spreadsheets show as text; numbers are written as numbers and never altered.
 * - Learners appear as pseudonyms: an HMAC of their id under a key derived from SESSION_SECRETS,
 *   stable across downloads (a researcher can follow one learner across activities) and across
 *   nothing else; rotating the first secret changes every pseudonym.
 */
import { and, eq, gt, or, sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { activities, attempts } from '../db/schema.ts'
import { toHex, utf8 } from '../lib/encoding.ts'
import { cursorTimestampOf } from '../schemas/common.ts'

/** Attempts per database read: with up to 50 questions each, a page stays well under a megabyte. */
export const CSV_PAGE_ATTEMPTS = 500
/**
 * Pages per response: each is one subrequest, and a Worker on the free plan may make 50 per request.
 * Past this many attempts the response ends and its `Link: rel="next"` header carries on.
 */
export const CSV_MAX_PAGES = 40
export const CSV_MAX_ATTEMPTS = CSV_PAGE_ATTEMPTS * CSV_MAX_PAGES

export const CSV_COLUMNS = [
  'attempt_id',
  'learner',
  'content_version',
  'started_at',
  'completed_at',
  'score',
  'max_score',
  'passed',
  'question_id',
  'answer',
  'correct',
  'points_awarded',
  'points',
  // The instance a parameterised question was answered on, as stored with the attempt (JSON).
  'values',
  'credited',
] as const

type Cell = string | number | boolean | null

const FORMULA_START = /^[=+\-@\t\r]/

/** One field: numbers and booleans as they are, text neutralised and quoted as RFC 4180 asks. */
export function csvCell(value: Cell): string {
  if (value === null) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export const csvLine = (cells: readonly Cell[]) => `${cells.map(csvCell).join(',')}\r\n`

export type AttemptsCursor = readonly [completedAt: string, attemptId: string]

/** Which completed attempts: an activity's, optionally of one content version, after a cursor. */
function completedAttempts(activityId: string, version: number | undefined, after?: AttemptsCursor) {
  return and(
    eq(attempts.activityId, activityId),
    sql`${attempts.status} = 'completed'`,
    version === undefined ? undefined : eq(attempts.contentVersion, version),
    after &&
      or(
        gt(attempts.completedAt, sql`${after[0]}::timestamptz`),
        and(eq(attempts.completedAt, sql`${after[0]}::timestamptz`), gt(attempts.id, after[1])),
      ),
  )
}

type CsvRow = {
  attempt_id: string
  learner_id: string
  content_version: number
  started_at: string
  completed_at: string
  score: number
  max_score: number
  passed: boolean
  question_id: string | null
  answer: unknown
  correct: boolean | null
  points_awarded: number | null
  points: number | null
  values: Record<string, number | string> | null
  credited: boolean | null
}

/**
 * One page: up to CSV_PAGE_ATTEMPTS attempts, each expanded into its graded questions (the stored
 * feedback, in the order shown) with the learner's answer to each.
 */
function csvPage(db: Db, activityId: string, version: number | undefined, after?: AttemptsCursor) {
  return db.execute<CsvRow>(sql`
    SELECT page.id AS attempt_id, page.learner_id, page.content_version,
      ${cursorTimestampOf(sql`page.started_at`)} AS started_at, ${cursorTimestampOf(sql`page.completed_at`)} AS completed_at,
      page.score, page.max_score, page.passed,
      f.q->>'questionId' AS question_id,
      page.response->'answers'->(f.q->>'questionId') AS answer,
      (f.q->>'correct')::boolean AS correct,
      (f.q->>'pointsAwarded')::int AS points_awarded,
      (f.q->>'points')::int AS points,
      page.bindings->(f.q->>'questionId')->'values' AS values,
      (f.q->>'credited')::boolean AS credited
    FROM (
      SELECT * FROM ${attempts} WHERE ${completedAttempts(activityId, version, after)}
      ORDER BY ${attempts.completedAt}, ${attempts.id} LIMIT ${CSV_PAGE_ATTEMPTS}
    ) AS page
      LEFT JOIN LATERAL jsonb_array_elements(page.feedback) WITH ORDINALITY AS f(q, n) ON true
    ORDER BY page.completed_at, page.id, f.n`)
}

/**
 * Whether there are more than CSV_MAX_ATTEMPTS attempts after `after`; if so, the cursor of the last
 * attempt one response carries (the next response starts after it).
 */
function csvContinuation(db: Db, activityId: string, version: number | undefined, after?: AttemptsCursor) {
  return db
    .select({ completedAt: cursorTimestampOf(attempts.completedAt), id: attempts.id })
    .from(attempts)
    .where(completedAttempts(activityId, version, after))
    .orderBy(attempts.completedAt, attempts.id)
    .offset(CSV_MAX_ATTEMPTS - 1)
    .limit(2)
}

/**
 * What a download reads before it starts (one round trip): whether the activity exists, the first
 * page, and — when more attempts follow than one response carries — the cursor the next response
 * starts after.
 */
export async function firstCsvRead(
  db: Db,
  activityId: string,
  version: number | undefined,
  after?: AttemptsCursor,
) {
  const { named } = await retryReads(() =>
    batchByName(db, {
      activity: db.select({ id: activities.id }).from(activities).where(eq(activities.id, activityId)),
      firstPage: csvPage(db, activityId, version, after),
      beyond: csvContinuation(db, activityId, version, after),
    }),
  )
  const [lastCarried, oneMore] = named.beyond
  return {
    found: named.activity.length > 0,
    firstPage: named.firstPage.rows,
    continueAfter: lastCarried && oneMore ? ([lastCarried.completedAt, lastCarried.id] as const) : null,
  }
}

/** A later page of a download (one round trip). */
export async function laterCsvPage(
  db: Db,
  activityId: string,
  version: number | undefined,
  after: AttemptsCursor | undefined,
) {
  const { rows } = await retryReads(() => csvPage(db, activityId, version, after))
  return rows
}

/** The answer as a cell: a number stays a number, choice ids are joined by `;`. */
function answerCell(answer: unknown): Cell {
  if (typeof answer === 'number' || typeof answer === 'string') return answer
  if (Array.isArray(answer)) return answer.join(';')
  return null
}

export type Pseudonym = (learnerId: string) => Promise<string>

/** Learner pseudonyms: the first 16 bytes of HMAC-SHA-256(key, learner id), in hex. */
export function pseudonyms(key: CryptoKey): Pseudonym {
  const known = new Map<string, Promise<string>>()
  return (learnerId) => {
    let pseudonym = known.get(learnerId)
    if (!pseudonym) {
      pseudonym = crypto.subtle
        .sign('HMAC', key, utf8(learnerId))
        .then((mac) => toHex(new Uint8Array(mac, 0, 16)))
      known.set(learnerId, pseudonym)
    }
    return pseudonym
  }
}

/** A page's CSV text, the number of attempts it held, and the cursor after its last attempt. */
export async function csvText(rows: readonly CsvRow[], pseudonym: Pseudonym) {
  const learners = new Map(
    await Promise.all(
      [...new Set(rows.map((row) => row.learner_id))].map(async (id) => [id, await pseudonym(id)] as const),
    ),
  )
  let text = ''
  let attemptCount = 0
  let previous: string | undefined
  for (const row of rows) {
    if (row.attempt_id !== previous) attemptCount++
    previous = row.attempt_id
    text += csvLine([
      row.attempt_id,
      learners.get(row.learner_id) ?? null,
      row.content_version,
      row.started_at,
      row.completed_at,
      row.score,
      row.max_score,
      row.passed,
      row.question_id,
      answerCell(row.answer),
      row.correct,
      row.points_awarded,
      row.points,
      row.values === null ? null : JSON.stringify(row.values),
      row.credited,
    ])
  }
  const last = rows.at(-1)
  const cursor: AttemptsCursor | undefined = last && [last.completed_at, last.attempt_id]
  return { text, attemptCount, cursor }
}
