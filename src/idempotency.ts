/**
 * Idempotency-Key for progress POSTs (start, submit, abandon), after the IETF draft
 * (draft-ietf-httpapi-idempotency-key-header): a client that did not get an answer sends the request
 * again with the same key and gets the first answer, marked `Idempotent-Replayed: true`.
 *
 * - Keys are per learner, at most 255 characters, a structured-field string (`"…"`) or a bare token;
 *   kept 24 hours, after which the key counts as new (the cron deletes expired ones).
 * - The claim, the operation and the stored response are statements of the operation's own batch:
 *   one transaction, no extra round trip. The operation's statements run only for the request that
 *   holds the claim; the response is recorded only when the operation happened (a transaction-local
 *   flag its RETURNING sets); a request that failed leaves no key behind, so it can be retried.
 * - The same key with a different method, path or body is a 422. A duplicate that arrives while the
 *   first is running waits for it at the claim (Postgres row lock) and then replays its answer.
 */
import { and, eq, getTableColumns, gt, type SQL, sql } from 'drizzle-orm'
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Db } from './db/client.ts'
import { type IdempotencyKey, idempotencyKeys } from './db/schema.ts'
import { ApiError } from './errors.ts'
import { learnerIdOf } from './session/learner.ts'

export const KEY_RETENTION = sql`interval '24 hours'`

/** Set by an operation's RETURNING, read by the record statement: "the operation happened". */
export const operationDone = sql<string>`set_config('lp.operation_done', 'yes', true)`
const didOperation = sql`current_setting('lp.operation_done', true) = 'yes'`

const QUOTED = /^"([\x20\x21\x23-\x5B\x5D-\x7E]{1,255})"$/
const TOKEN = /^[A-Za-z0-9._~:+/=-]{1,255}$/

export type IdempotencyRequest = { key: string; fingerprint: string; requestId: string }

/** The request's Idempotency-Key, or null without one; a malformed key is a 400. */
export async function idempotencyOf(
  header: string | undefined,
  method: string,
  path: string,
  body: string,
): Promise<IdempotencyRequest | null> {
  if (header === undefined) return null
  const key = QUOTED.exec(header.trim())?.[1] ?? (TOKEN.test(header.trim()) ? header.trim() : undefined)
  if (!key) {
    throw new ApiError('validation_failed', 'The Idempotency-Key header is malformed.', {
      errors: [
        { parameter: 'Idempotency-Key', detail: 'a quoted string or token of 1–255 printable characters' },
      ],
    })
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${method} ${path}\n${body}`))
  const fingerprint = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
  return { key, fingerprint, requestId: crypto.randomUUID() }
}

const mine = (hash: string, request: IdempotencyRequest) =>
  and(
    eq(idempotencyKeys.learnerId, learnerIdOf(hash)),
    eq(idempotencyKeys.key, request.key),
    eq(idempotencyKeys.requestId, request.requestId),
  )

/** SQL that is true when this request holds the claim: guard every statement of the operation with it. */
export const holdsClaim = (hash: string, request: IdempotencyRequest | null) =>
  request ? sql`EXISTS (SELECT 1 FROM ${idempotencyKeys} WHERE ${mine(hash, request)})` : sql`true`

/** Claims the key, or takes over an expired one; a live key of another request is left alone. */
function claim(db: Db, hash: string, request: IdempotencyRequest) {
  return db.execute(sql`
    INSERT INTO ${idempotencyKeys} (learner_id, key, fingerprint, request_id)
    SELECT ${learnerIdOf(hash)}, ${request.key}, ${request.fingerprint}, ${request.requestId}
    WHERE EXISTS ${learnerIdOf(hash)}
    ON CONFLICT (learner_id, key) DO UPDATE SET
      fingerprint = excluded.fingerprint, request_id = excluded.request_id, created_at = now(),
      response_status = NULL, response = NULL
    WHERE ${idempotencyKeys.createdAt} <= now() - ${KEY_RETENTION}`)
}

/** Stores the response (a JSON snapshot of committed rows) if the operation happened, else drops the claim. */
function record(db: Db, hash: string, request: IdempotencyRequest, status: number, snapshot: SQL) {
  return [
    db
      .update(idempotencyKeys)
      .set({ responseStatus: status, response: snapshot })
      .where(and(mine(hash, request), didOperation)),
    db
      .delete(idempotencyKeys)
      .where(and(mine(hash, request), sql`${idempotencyKeys.responseStatus} IS NULL`)),
  ] as const
}

/** The live record of this key for the learner, if any. */
export function lookup(db: Db, hash: string, key: string) {
  return db
    .select()
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.learnerId, learnerIdOf(hash)),
        eq(idempotencyKeys.key, key),
        gt(idempotencyKeys.createdAt, sql`now() - ${KEY_RETENTION}`),
      ),
    )
}

/**
 * What to do with a key someone else's request holds: a 422 when it was for another request, a 409
 * when no answer is stored yet, otherwise the stored status and snapshot to replay.
 */
export function replayOf(row: IdempotencyKey, request: IdempotencyRequest): Replay {
  if (row.fingerprint !== request.fingerprint) {
    throw new ApiError('unprocessable', 'This Idempotency-Key was used for a different request.')
  }
  if (row.responseStatus === null || row.response === null) {
    throw new ApiError('conflict', 'A request with this Idempotency-Key is still being processed.')
  }
  return { status: row.responseStatus, snapshot: row.response }
}

export const REPLAYED = { 'Idempotent-Replayed': 'true' } as const

/**
 * A row of `table` from its `to_jsonb` snapshot (snake_case keys, timestamps as ISO strings), typed
 * as Drizzle would have returned it.
 */
export function rowFromSnapshot<T extends PgTable>(table: T, json: unknown): T['$inferSelect'] {
  const source = json as Record<string, unknown>
  const row: Record<string, unknown> = {}
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = source[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] ?? null
    row[key] = value !== null && column.columnType === 'PgTimestamp' ? new Date(value as string) : value
  }
  return row as T['$inferSelect']
}

export type Replay = { status: number; snapshot: Record<string, unknown> }

/**
 * Sends `operation` as one batch, wrapped (when the request has a key) in the claim before it and
 * the record, release and lookup after it. Returns the operation's own results, and what to replay
 * when another request holds the key. Every statement of `operation` that writes must be guarded
 * with holdsClaim(), and the one that does the operation must RETURN `operationDone`.
 */
export async function idempotentBatch<const T extends readonly [BatchItem<'pg'>, ...BatchItem<'pg'>[]]>(
  db: Db,
  hash: string,
  request: IdempotencyRequest | null,
  operation: T,
  response: { status: number; snapshot: SQL },
): Promise<{ results: BatchResponse<T>; replay: Replay | null }> {
  const before = request ? [claim(db, hash, request)] : []
  const after = request
    ? [...record(db, hash, request, response.status, response.snapshot), lookup(db, hash, request.key)]
    : []
  const all = await db.batch([...before, ...operation, ...after] as unknown as [
    BatchItem<'pg'>,
    ...BatchItem<'pg'>[],
  ])
  const results = all.slice(before.length, before.length + operation.length) as BatchResponse<T>
  if (!request) return { results, replay: null }
  const [row] = all.at(-1) as IdempotencyKey[]
  if (!row || row.requestId === request.requestId) return { results, replay: null }
  return { results, replay: replayOf(row, request) }
}

/** The snapshot of one attempt row, for start and abandon. */
export const attemptSnapshot = (attemptsTable: PgTable, attemptId: string) =>
  sql`jsonb_build_object('attempt', (SELECT to_jsonb(t) FROM ${attemptsTable} t WHERE t.id = ${attemptId}))`

/** The cron's cleanup: keys past their 24 hours as of `at`. Uses idempotency_keys_created_at_idx. */
export function deleteExpiredKeys(db: Db, at: Date) {
  return db.execute(
    sql`DELETE FROM ${idempotencyKeys} WHERE created_at <= ${at.toISOString()}::timestamptz - ${KEY_RETENTION}`,
  )
}
