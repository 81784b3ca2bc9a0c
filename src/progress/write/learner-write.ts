/**
 * The one way to write a learner's progress: start, submit and abandon today, and every learner
 * write after them. A write is one batch — one round trip, one transaction — in this order:
 *
 *   lock     the learner's row (FOR NO KEY UPDATE): one learner's writes apply one at a time, so
 *            what a write read under the lock cannot change before it commits
 *   assert   session_active: the session is live                 (else 401)
 *   claim    the Idempotency-Key, when the request carries one
 *   assert   key_claimed: this request holds it                  (else the key's record answers)
 *   ...      the operation's own statements, each under a name; the one that does the operation
 *            RETURNs `w.done`, and writes assert what they rely on with `w.assert`
 *   record   the response, when the operation happened; otherwise the key is released
 *
 * An assertion that does not hold rolls the whole batch back and names itself (batch_assert,
 * drizzle/0006): nothing partial is ever committed, and each name has its own answer. Past the
 * key_claimed assertion a write holds its key, so no operation needs to guard its statements.
 *
 * A guarded write (`guardedWrite`, submit with its start's token) is the same batch with one step
 * changed: instead of asserting key_claimed, one statement sets a flag — the key is ours and the
 * write's guard holds — and the operation's writes are conditioned on it, so a failed guard raises
 * nothing and the batch can still answer what the operation read for its fallback.
 *
 * Replays have one source: `replayOf` on the key's record, found either by `readForWrite` (a write
 * that reads first notices an answered key there, in its first round trip), after key_claimed
 * failed (a duplicate that arrived while the first request was running), or at the end of a guarded
 * write whose key another request holds.
 */
import { eq, type SQL, sql } from 'drizzle-orm'
import { type Assertion, AssertionFailed, batchAssert, failedAssertion, marker } from '../../db/assert.ts'
import { batchByName, type Results, type Statements } from '../../db/batch.ts'
import type { Db } from '../../db/client.ts'
import { classifyDatabaseError, isRetryableConflict } from '../../db/errors.ts'
import { type IdempotencyKey, type Learner, learners } from '../../db/schema.ts'
import { ApiError, noSession } from '../../errors.ts'
import { learnerIdOf, noteCookieRenewal, readLearner, touchSession } from '../../session/learner.ts'
import type { LearnerScope } from '../../types.ts'
import {
  claim,
  holdsClaim,
  type IdempotencyRequest,
  lookup,
  type Replay,
  record,
  replayOf,
} from './idempotency.ts'

/** Set by the operation's RETURNING, read by the record statement: "the operation happened". */
const operationDone = marker('operation_done')

/** Set before a guarded write's operation: its guard held, so its writes run. */
const guardHeld = marker('guard_held')

export type WriteContext = {
  db: Db
  /** The learner's id, as a subquery for statements of this batch. */
  learnerId: SQL
  /** Put in the RETURNING of the statement that does the operation: the response is recorded only then. */
  done: SQL
  /** True once the statement that RETURNs `done` has returned a row. */
  happened: SQL
  /** A statement that rolls the batch back, naming `assertion`, unless `condition` is true. */
  assert: (condition: SQL, assertion: Assertion) => ReturnType<Db['execute']>
}

export type Written<S extends Statements> =
  | { replay: null; results: Results<S> }
  | { replay: Replay; results?: undefined }

/**
 * Where a client can read what a write did when its outcome is unknown (a lost response); and, for
 * writes that take an Idempotency-Key, what a replay answers, built in SQL from the committed rows.
 */
export type WriteResponse = { resource: string } | { resource: string; status: number | SQL; snapshot: SQL }

/**
 * Sends `operation` inside the protocol above and returns its named results, or what to replay when
 * another request with the same Idempotency-Key answered first. A write whose batch got no answer
 * (the network, a timeout) may or may not have committed: that 503 says so and names `resource`.
 */
export async function learnerWrite<S extends Statements>(
  scope: LearnerScope,
  idempotency: IdempotencyRequest | null,
  operation: (w: WriteContext) => S,
  replyWith: WriteResponse | ((w: WriteContext) => WriteResponse),
): Promise<Written<S>> {
  const { w, response, before } = protocol(scope, replyWith)
  if (idempotency && !('snapshot' in response)) {
    throw new Error('a write with an Idempotency-Key needs a replay snapshot')
  }
  const claimed = idempotency && {
    claim: claim(w.db, w.learnerId, idempotency),
    keyClaimed: w.assert(holdsClaim(w.learnerId, idempotency), 'key_claimed'),
  }
  const recorded =
    idempotency && 'snapshot' in response && record(w.db, w.learnerId, idempotency, response, w.happened)
  try {
    const { named } = await send(
      scope,
      operation(w),
      { ...before, ...claimed },
      { ...recorded },
      response.resource,
    )
    return { replay: null, results: named }
  } catch (error) {
    if (error instanceof AssertionFailed && error.assertion === 'key_claimed' && idempotency) {
      return { replay: await replayAfterClaim(scope, idempotency) }
    }
    throw error
  }
}

type Removal = Statements[string]

/** What a write with nothing to show answers, and replays: a 204. */
export const NO_CONTENT = { status: 204, snapshot: sql`'{}'::jsonb` }

/**
 * A learner write that removes one of the learner's rows and answers 204. `removal` RETURNs
 * `w.done`, so the answer is recorded only when a row went; `removed` is what it returned (nothing on
 * the replay of an earlier request with the same Idempotency-Key, which did find its row).
 */
export async function removeOwn<R extends Removal>(
  scope: LearnerScope,
  idempotency: IdempotencyRequest | null,
  resource: string,
  removal: (w: WriteContext) => R,
): Promise<{ found: boolean; replayed: boolean; removed: Results<{ removed: R }>['removed'] | [] }> {
  const written = await learnerWrite(scope, idempotency, (w) => ({ removed: removal(w) }), {
    resource,
    ...NO_CONTENT,
  })
  if (written.replay) return { found: true, replayed: true, removed: [] }
  const { removed } = written.results
  return { found: (removed as unknown[]).length > 0, replayed: false, removed }
}

export type GuardedContext = WriteContext & {
  /** True when the guard held (and this request holds its Idempotency-Key): the writes may run. */
  held: SQL
}

export type GuardedWritten<S extends Statements> = {
  /** The learner's id, read under the lock. */
  learnerId: string
  /** Whether the guard held, so that the operation's writes ran. */
  held: boolean
  /** The key's record when another request holds the Idempotency-Key. */
  replay: Replay | null
  results: Results<S>
}

/**
 * The same protocol, for a write that guessed what it would otherwise read first: the operation's
 * writes run only when `guard` holds (each conditioned on `w.held`), and a guard that fails raises
 * nothing. The batch commits nothing of the operation and still answers: its statements conditioned
 * on `NOT w.held` read what the guess lacked, and the key's record comes back when another request
 * holds the key. So a right guess costs one round trip, and a wrong one has, in that same answer,
 * what its second and last needs. An assertion here (session_active) still rolls everything back.
 */
export async function guardedWrite<S extends Statements>(
  scope: LearnerScope,
  idempotency: IdempotencyRequest | null,
  guard: (w: WriteContext) => SQL,
  operation: (w: GuardedContext) => S,
  replyWith: WriteResponse & { status: number | SQL; snapshot: SQL },
): Promise<GuardedWritten<S>> {
  const { w, before } = protocol(scope, replyWith)
  const claimed = idempotency ? holdsClaim(w.learnerId, idempotency) : sql`true`
  const guarded = {
    ...(idempotency && { claim: claim(w.db, w.learnerId, idempotency) }),
    guard: w.db.execute<{ held: boolean }>(
      sql`SELECT ${guardHeld.setTo(sql`${claimed} AND ${guard(w)}`)} AS held`,
    ),
  }
  const after = idempotency && {
    ...record(w.db, w.learnerId, idempotency, replyWith, w.happened),
    answered: lookup(w.db, w.learnerId, idempotency.key),
  }
  const operationStatements = operation({ ...w, held: guardHeld.isSet })
  const sent = await send(
    scope,
    operationStatements,
    { ...before, ...guarded },
    { ...after },
    replyWith.resource,
  )
  const [locked] = sent.before.lock
  const [guardRow] = sent.before.guard.rows
  const [answered] = (sent.after.answered ?? []) as IdempotencyKey[]
  if (!locked) throw new Error('a learner write committed without its learner')
  const held = guardRow?.held === true
  return {
    learnerId: locked.id,
    held,
    replay: !held && answered && idempotency ? replayOf(answered, idempotency) : null,
    results: sent.named,
  }
}

/** The context and the statements every learner write starts with: lock, touch, session_active. */
function protocol(scope: LearnerScope, replyWith: WriteResponse | ((w: WriteContext) => WriteResponse)) {
  const { db, session } = scope
  const learnerId = learnerIdOf(session.hash)
  const assert = (condition: SQL, assertion: Assertion) => batchAssert(db, condition, assertion)
  const w: WriteContext = { db, learnerId, done: operationDone.set, happened: operationDone.isSet, assert }
  const response = typeof replyWith === 'function' ? replyWith(w) : replyWith
  const before = {
    lock: db
      .select({ id: learners.id })
      .from(learners)
      .where(eq(learners.id, learnerId))
      .for('no key update'),
    ...touchSession(db, session.hash),
    sessionActive: assert(sql`EXISTS ${learnerId}`, 'session_active'),
  }
  return { w, response, before }
}

/** One round trip; the batch's failures as the answers they mean. */
async function send<S extends Statements, B extends ProtocolStatements, A extends Statements>(
  scope: LearnerScope,
  statements: S,
  before: B,
  after: A,
  resource: string,
) {
  try {
    const sent = await batchByName(scope.db, statements, { before, after })
    noteCookieRenewal(scope, sent.before.touchSession)
    return sent
  } catch (error) {
    const assertion = failedAssertion(error)
    if (assertion === 'session_active') throw noSession('unknown_session')
    if (assertion) throw new AssertionFailed(assertion, { cause: error })
    if (classifyDatabaseError(error).kind === 'unavailable' && !isRetryableConflict(error)) {
      throw outcomeUnknown(resource, error)
    }
    throw error
  }
}

type ProtocolStatements = ReturnType<typeof protocol>['before']

const outcomeUnknown = (resource: string, cause: unknown) =>
  new ApiError(
    'database_unavailable',
    `The database did not answer, so this write may or may not have been applied: read ${resource} to find out, ` +
      'or send the request again with the same Idempotency-Key, which is safe either way.',
    { cause, resource, headers: { 'Retry-After': '1' } },
  )

/** Another request holds the key: its record decides (one more round trip, only on this race). */
async function replayAfterClaim(scope: LearnerScope, idempotency: IdempotencyRequest): Promise<Replay> {
  const [row] = await lookup(scope.db, learnerIdOf(scope.session.hash), idempotency.key)
  if (!row) throw new ApiError('conflict', 'A request with this Idempotency-Key is still being processed.')
  return replayOf(row, idempotency)
}

/**
 * The reads a write depends on, with the learner (a 401 without one), in one round trip. When the
 * request's Idempotency-Key was already answered, that answer is returned to replay instead.
 */
export async function readForWrite<S extends Statements>(
  scope: LearnerScope,
  idempotency: IdempotencyRequest | null,
  statements: (db: Db, learnerId: SQL) => S,
): Promise<({ replay: null; learner: Learner } & Results<S>) | { replay: Replay }> {
  const { answered, ...read } = await readLearner(scope, (db, learnerId) => ({
    ...statements(db, learnerId),
    // Keys are at least one character: without one this finds nothing.
    answered: lookup(db, learnerId, idempotency?.key ?? ''),
  }))
  const [row] = answered as IdempotencyKey[]
  if (row && idempotency) return { replay: replayOf(row, idempotency) }
  return { replay: null, ...(read as { learner: Learner } & Results<S>) }
}
