/**
 * Idempotency-Key for progress POSTs (start, submit, abandon), after the IETF draft
 * (draft-ietf-httpapi-idempotency-key-header): a client that did not get an answer sends the request
 * again with the same key and gets the first answer, marked `Idempotent-Replayed: true`.
 *
 * - Keys are per learner, at most 255 characters, a structured-field string (`"…"`) or a bare token;
 *   kept 24 hours, after which the key counts as new (the cron deletes expired ones).
 * - The claim and the stored response are statements of the write's own batch (learner-write.ts):
 *   one transaction, no extra round trip. A request that failed leaves no key behind, so it can be
 *   retried with the same key.
 * - The same key with a different method, path or body is a 422; a key whose first request has not
 *   answered yet is a 409.
 */
import { and, eq, getTableColumns, gt, type SQL, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.ts'
import { type IdempotencyKey, idempotencyKeys } from '../../db/schema.ts'
import { ApiError } from '../../errors.ts'
import { sha256Hex } from '../../lib/encoding.ts'

const KEY_RETENTION = sql`interval '24 hours'`

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
  const fingerprint = await sha256Hex(`${method} ${path}\n${body}`)
  return { key, fingerprint, requestId: crypto.randomUUID() }
}

const mine = (learnerId: SQL, request: IdempotencyRequest) =>
  and(
    eq(idempotencyKeys.learnerId, learnerId),
    eq(idempotencyKeys.key, request.key),
    eq(idempotencyKeys.requestId, request.requestId),
  )

/** True when this request holds the key. */
export const holdsClaim = (learnerId: SQL, request: IdempotencyRequest) =>
  sql`EXISTS (SELECT 1 FROM ${idempotencyKeys} WHERE ${mine(learnerId, request)})`

/** Claims the key, or takes over an expired one; a live key of another request is left alone. */
export function claim(db: Db, learnerId: SQL, request: IdempotencyRequest) {
  return db.execute(sql`
    INSERT INTO ${idempotencyKeys} (learner_id, key, fingerprint, request_id)
    SELECT ${learnerId}, ${request.key}, ${request.fingerprint}, ${request.requestId}
    ON CONFLICT (learner_id, key) DO UPDATE SET
      fingerprint = excluded.fingerprint, request_id = excluded.request_id, created_at = now(),
      response_status = NULL, response = NULL
    WHERE ${idempotencyKeys.createdAt} <= now() - ${KEY_RETENTION}`)
}

/**
 * Stores the response (a JSON snapshot of committed rows) when `happened`, else drops the claim so
 * that the key can be used again.
 */
export function record(
  db: Db,
  learnerId: SQL,
  request: IdempotencyRequest,
  response: { status: number | SQL; snapshot: SQL },
  happened: SQL,
) {
  return {
    recordResponse: db
      .update(idempotencyKeys)
      .set({
        responseStatus: typeof response.status === 'number' ? response.status : sql`${response.status}`,
        response: response.snapshot,
      })
      .where(and(mine(learnerId, request), happened)),
    releaseKey: db
      .delete(idempotencyKeys)
      .where(and(mine(learnerId, request), sql`${idempotencyKeys.responseStatus} IS NULL`)),
  }
}

/** The live record of this key for the learner, if any. */
export function lookup(db: Db, learnerId: SQL, key: string) {
  return db
    .select()
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.learnerId, learnerId),
        eq(idempotencyKeys.key, key),
        gt(idempotencyKeys.createdAt, sql`now() - ${KEY_RETENTION}`),
      ),
    )
}

export type Replay = { status: number; snapshot: Record<string, unknown> }

/**
 * What to answer for a key another request holds: a 422 when it was for another request, a 409
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

/** The cron's cleanup: keys past their 24 hours as of `at`. Uses idempotency_keys_created_at_idx. */
export function deleteExpiredKeys(db: Db, at: Date) {
  return db.execute(
    sql`DELETE FROM ${idempotencyKeys} WHERE created_at <= ${at.toISOString()}::timestamptz - ${KEY_RETENTION}`,
  )
}
