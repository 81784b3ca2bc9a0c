/**
 * The learner behind a session, in the operations every learner route is made of:
 *
 * - `resumeOrCreateLearner(scope)`: what POST /v1/session does (one round trip);
 * - `readLearner(scope, statements)`: the learner and the route's own reads in one batch, or a 401
 *   (never a new learner); writes go through progress/write/learner-write.ts;
 * - `endDeviceSession(scope)`: end this device's session (one round trip).
 *
 * They take the route's scope (plain values, types.ts) and tell the device what happened to its
 * session through `scope.device`: the route kind turns that into Set-Cookie.
 *
 * A learner has one session per device (the `sessions` table). Statements find the learner through
 * `learnerIdOf(hash)`, a subquery, so they ride the same round trip and the same transaction as the
 * lookup.
 */

import { and, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm'
import type * as z from 'zod'
import { batchByName, type Results, type Statements } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { type Learner, learners, sessions } from '../db/schema.ts'
import { noSession } from '../errors.ts'
import type { LearnerSchema } from '../schemas/learner.ts'
import type { LearnerScope, SessionScope } from '../types.ts'
import { hashSessionId, newSessionId } from './cookie.ts'
import { deviceLabel } from './device-label.ts'

/**
 * `last_used_at` (and the learner's `last_active_at`) are refreshed at most this often, so reads do
 * not rewrite rows on every request (and contend on their locks) while the values stay useful.
 */
const ACTIVITY_GRANULARITY = sql`interval '5 minutes'`

/** The session cookie is re-issued at most this often by any use of the session, sliding its year. */
const COOKIE_RENEWAL = sql`interval '1 day'`

/**
 * A session unused this long is over (idle timeout), matching the cookie's one-year lifetime; using
 * it slides the window. There is deliberately no absolute timeout: for a learner without a passkey
 * the cookie is the only key to their progress.
 */
export const IDLE_LIMIT = sql`interval '365 days'`

/** The session row of a live session: this hash, used within the idle limit. */
export const liveSession = (hash: string) =>
  and(eq(sessions.tokenHash, hash), gt(sessions.lastUsedAt, sql`now() - ${IDLE_LIMIT}`))

/** A subquery for the learner's id, for statements that run in the same batch. */
export const learnerIdOf = (hash: string) =>
  sql`(SELECT ${sessions.learnerId} FROM ${sessions} WHERE ${liveSession(hash)})`

const cookieDue = lt(sessions.cookieRenewedAt, sql`now() - ${COOKIE_RENEWAL}`)

/**
 * Refreshes the session's last_used_at when it is stale, noting when the cookie is due to be
 * re-issued (`renewed`: `noteCookieRenewal` then tells the device), and the learner's last_active_at
 * whenever the session was refreshed (`now()` is the transaction's time).
 */
export const touchSession = (db: Db, hash: string) => ({
  touchSession: db
    .update(sessions)
    .set({
      lastUsedAt: sql`now()`,
      cookieRenewedAt: sql`CASE WHEN ${cookieDue} THEN now() ELSE ${sessions.cookieRenewedAt} END`,
    })
    .where(
      and(liveSession(hash), or(lt(sessions.lastUsedAt, sql`now() - ${ACTIVITY_GRANULARITY}`), cookieDue)),
    )
    .returning({ renewed: sql<boolean>`${sessions.cookieRenewedAt} = now()` }),
  touchLearner: db
    .update(learners)
    .set({ lastActiveAt: sql`now()` })
    .where(
      eq(
        learners.id,
        sql`(SELECT ${sessions.learnerId} FROM ${sessions} WHERE ${sessions.tokenHash} = ${hash} AND ${sessions.lastUsedAt} = now())`,
      ),
    ),
})

/** Tells the device its cookie is due when `touchSession` renewed it. */
export function noteCookieRenewal(scope: LearnerScope, touched: { renewed: boolean }[]) {
  if (touched.some((row) => row.renewed)) scope.device.renewDue()
}

/** The learner of a live session (the statement sees a refresh earlier in its batch). */
const learnerOf = (db: Db, hash: string) =>
  db
    .select()
    .from(learners)
    .where(eq(learners.id, learnerIdOf(hash)))

/**
 * Reads the learner of the scope's session with the results of `statements`, all in one round trip
 * (retried on a transient failure: it only reads, and touches the session); a 401 when the session
 * is no longer live. A learner's writes go through progress/write/learner-write.ts instead.
 */
export async function readLearner<S extends Statements>(
  scope: LearnerScope,
  statements: (db: Db, learnerId: SQL) => S = () => ({}) as S,
): Promise<{ learner: Learner } & Results<S>> {
  const { db, session } = scope
  const { named, before } = await retryReads(() =>
    batchByName(db, statements(db, learnerIdOf(session.hash)), {
      before: { ...touchSession(db, session.hash), learner: learnerOf(db, session.hash) },
    }),
  )
  const [learner] = before.learner
  if (!learner) throw noSession('unknown_session')
  noteCookieRenewal(scope, before.touchSession)
  return { learner, ...named }
}

/**
 * The statement that starts a new session for `learnerId` on this device, and its id: tell the
 * device once it is committed (`scope.device.started`). The id is always fresh, never one a client
 * sent.
 */
export async function newSession(scope: SessionScope, learnerId: string | SQL) {
  const id = newSessionId()
  const insert = scope.db.insert(sessions).values({
    learnerId,
    tokenHash: await hashSessionId(id),
    label: deviceLabel(scope.userAgent),
  })
  return { insert, id }
}

/**
 * POST /v1/session: with a live session, touch it and re-issue its cookie (the one-year lifetime
 * slides while the learner keeps coming back); otherwise create a learner with a new session — never
 * under the id of a cookie that did not verify or whose session is gone. Only a creation counts
 * against the per-address limit (`limitCreation`): a class behind one school address resumes
 * freely, while a replayed cookie of a revoked session cannot mint learners. One round trip; two
 * when a verified cookie's session turns out to be gone.
 */
export async function resumeOrCreateLearner(
  scope: SessionScope,
  limitCreation: () => Promise<void>,
): Promise<{ learner: Learner; created: boolean }> {
  const { db, session } = scope
  if (session) {
    const { named } = await batchByName(db, {
      resume: db
        .update(sessions)
        .set({ lastUsedAt: sql`now()`, cookieRenewedAt: sql`now()` })
        .where(liveSession(session.hash)),
      touchLearner: touchSession(db, session.hash).touchLearner,
      learner: learnerOf(db, session.hash),
    })
    const [learner] = named.learner
    if (learner) {
      scope.device.renewDue()
      return { learner, created: false }
    }
  }
  await limitCreation()
  const learnerId = crypto.randomUUID()
  const device = await newSession(scope, learnerId)
  const { named } = await batchByName(db, {
    learner: db.insert(learners).values({ id: learnerId }).returning(),
    session: device.insert,
  })
  const [created] = named.learner
  if (!created) throw new Error('the learner insert returned no row')
  scope.device.started(device.id)
  return { learner: created, created: true }
}

/**
 * DELETE /v1/session: this device's session row goes, so its cookie is useless everywhere; the
 * learner and their other devices stay. The cookie is cleared either way.
 */
export async function endDeviceSession(scope: SessionScope) {
  const { db, session } = scope
  if (session) await db.delete(sessions).where(eq(sessions.tokenHash, session.hash))
  scope.device.ended()
}

/** What a learner sees of themself. */
export function presentLearner(learner: Learner): z.infer<typeof LearnerSchema> {
  return {
    id: learner.id,
    displayName: learner.displayName,
    metadata: learner.metadata,
    createdAt: learner.createdAt.toISOString(),
    lastActiveAt: learner.lastActiveAt.toISOString(),
  }
}
