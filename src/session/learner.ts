/**
 * The learner behind a session, in the operations every learner route is made of:
 *
 * - `getOrCreateLearner(c)`: what POST /v1/session does, resume or create (one round trip);
 * - `getCurrentLearner(c, statements)`: the learner and the route's own statements in one batch, or a
 *   401 (never a new learner);
 * - `clearLearnerSession(c)`: end this device's session and clear the cookie (one round trip).
 *
 * A learner has one session per device (the `sessions` table). Statements find the learner through
 * `learnerIdOf(hash)`, a subquery, so they ride the same round trip and the same transaction as the
 * lookup.
 */

import { and, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import type * as z from 'zod'
import { batchByName, type Results, type Statements } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { type Learner, learners, sessions } from '../db/schema.ts'
import type { LearnerSchema } from '../schemas/learner.ts'
import type { AppEnv } from '../types.ts'
import { clearedSessionCookie, hashSessionId, newSessionId } from './cookie.ts'
import { deviceLabel } from './device-label.ts'
import { issueSessionCookie, noSession, sessionOf } from './middleware.ts'

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
 * Two statements: refresh the session's last_used_at when it is stale, noting when the cookie is due
 * to be re-issued (`renewed` in the first result: `renewCookie` then sends it again); and the
 * learner's last_active_at whenever the session was refreshed (`now()` is the transaction's time).
 */
export const touchSession = (db: Db, hash: string) =>
  [
    db
      .update(sessions)
      .set({
        lastUsedAt: sql`now()`,
        cookieRenewedAt: sql`CASE WHEN ${cookieDue} THEN now() ELSE ${sessions.cookieRenewedAt} END`,
      })
      .where(
        and(liveSession(hash), or(lt(sessions.lastUsedAt, sql`now() - ${ACTIVITY_GRANULARITY}`), cookieDue)),
      )
      .returning({ renewed: sql<boolean>`${sessions.cookieRenewedAt} = now()` }),
    db
      .update(learners)
      .set({ lastActiveAt: sql`now()` })
      .where(
        eq(
          learners.id,
          sql`(SELECT ${sessions.learnerId} FROM ${sessions} WHERE ${sessions.tokenHash} = ${hash} AND ${sessions.lastUsedAt} = now())`,
        ),
      ),
  ] as const

/** Re-issues the session cookie when `touchSession` said it was due. */
export async function renewCookie(c: Context<AppEnv>, touched: unknown) {
  const [row] = touched as { renewed: boolean }[]
  if (row?.renewed) c.header('Set-Cookie', await issueSessionCookie(c, sessionOf(c).id))
}

/** The learner of a live session (the statement sees a refresh earlier in its batch). */
const learnerOf = (db: Db, hash: string) =>
  db
    .select()
    .from(learners)
    .where(eq(learners.id, learnerIdOf(hash)))

/**
 * The learner of the request's session with the results of `statements`, all in one round trip; a
 * 401 (clearing the cookie) when the session is no longer live. Batches that only read are retried
 * on a transient failure; pass `{ retry: false }` for a write that must not run twice.
 */
export async function getCurrentLearner<S extends Statements>(
  c: Context<AppEnv>,
  statements: (db: Db, learnerId: SQL) => S = () => ({}) as S,
  { retry = true } = {},
): Promise<{ learner: Learner } & Results<S>> {
  const { db } = c.var
  const { hash } = sessionOf(c)
  const send = () =>
    batchByName(db, statements(db, learnerIdOf(hash)), {
      before: [...touchSession(db, hash), learnerOf(db, hash)],
    })
  const { named, before } = await (retry ? retryReads(send) : send())
  const [learner] = before[2] as Learner[]
  if (!learner) throw noSession(c, 'unknown_session')
  await renewCookie(c, before[0])
  return { learner, ...named }
}

/**
 * A new session for `learnerId` on this device: the statement to insert it, and the cookie to send
 * once it is committed. The id is always fresh, never one a client sent.
 */
export async function newSession(c: Context<AppEnv>, learnerId: string | SQL) {
  const id = newSessionId()
  const insert = c.var.db.insert(sessions).values({
    learnerId,
    tokenHash: await hashSessionId(id),
    label: deviceLabel(c.req.header('user-agent')),
  })
  return { insert, cookie: () => issueSessionCookie(c, id) }
}

/**
 * POST /v1/session: with a live session, touch it and re-issue its cookie (the one-year lifetime
 * slides while the learner keeps coming back); otherwise create a learner with a new session — never
 * under the id of a cookie that did not verify or whose session is gone. Only a creation counts
 * against the per-address limit (`limitCreation`): a class behind one school address resumes
 * freely, while a replayed cookie of a revoked session cannot mint learners. One round trip; two
 * when a verified cookie's session turns out to be gone.
 */
export async function getOrCreateLearner(
  c: Context<AppEnv>,
  limitCreation: (c: Context<AppEnv>) => Promise<void>,
): Promise<{ learner: Learner; created: boolean }> {
  const { db, session } = c.var
  if (session) {
    const [, , resumed] = await db.batch([
      db
        .update(sessions)
        .set({ lastUsedAt: sql`now()`, cookieRenewedAt: sql`now()` })
        .where(liveSession(session.hash)),
      touchSession(db, session.hash)[1],
      learnerOf(db, session.hash),
    ])
    const [learner] = resumed
    if (learner) {
      c.header('Set-Cookie', await issueSessionCookie(c, session.id))
      return { learner, created: false }
    }
  }
  await limitCreation(c)
  const learnerId = crypto.randomUUID()
  const device = await newSession(c, learnerId)
  const [[created]] = await db.batch([
    db.insert(learners).values({ id: learnerId }).returning(),
    device.insert,
  ])
  if (!created) throw new Error('the learner insert returned no row')
  c.header('Set-Cookie', await device.cookie())
  return { learner: created, created: true }
}

/**
 * DELETE /v1/session: this device's session row goes, so its cookie is useless everywhere; the
 * learner and their other devices stay. The cookie is cleared either way.
 */
export async function clearLearnerSession(c: Context<AppEnv>) {
  const { db, session } = c.var
  if (session) await db.delete(sessions).where(eq(sessions.tokenHash, session.hash))
  clearSessionCookie(c)
}

export const clearSessionCookie = (c: Context<AppEnv>) =>
  c.header('Set-Cookie', clearedSessionCookie(c.req.url))

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
