/**
 * The learner behind a session, in the three operations every learner route is made of:
 *
 * - `getOrCreateLearner(c)`: what POST /v1/session does, resume or create (one round trip);
 * - `getCurrentLearner(c, statements)`: the learner and the route's own statements in one batch, or a
 *   401 (never a new learner);
 * - `clearLearnerSession(c)`: end the session and clear the cookie (one round trip).
 *
 * Statements find the learner through `learnerIdOf(hash)`, a subquery, so they ride the same round
 * trip and the same transaction as the lookup.
 */
import type { z } from '@hono/zod-openapi'
import { and, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { batchByName, type Results, type Statements } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { type Learner, learners } from '../db/schema.ts'
import type { LearnerSchema } from '../schemas/learner.ts'
import type { AppEnv } from '../types.ts'
import { clearedSessionCookie, hashSessionId, newSessionId } from './cookie.ts'
import { issueSessionCookie, noSession, sessionOf } from './middleware.ts'

/**
 * `last_active_at` is refreshed at most this often, so reads do not rewrite the learner row on every
 * request (and contend on its lock) while the value stays useful.
 */
const ACTIVITY_GRANULARITY = sql`interval '5 minutes'`

/** The session cookie is re-issued at most this often by any use of the session, sliding its year. */
const COOKIE_RENEWAL = sql`interval '1 day'`

/**
 * A session unused this long is over (idle timeout), matching the cookie's one-year lifetime; using
 * it slides the window (POST /v1/session re-issues the cookie). There is deliberately no absolute
 * timeout: the cookie is an anonymous learner's only key to their progress.
 */
const IDLE_LIMIT = sql`interval '365 days'`

/** The learner row of a live session: this hash, used within the idle limit. */
export const activeSession = (hash: string) =>
  and(eq(learners.sessionId, hash), gt(learners.lastActiveAt, sql`now() - ${IDLE_LIMIT}`))

/** A subquery for the learner's id, for statements that run in the same batch. */
export const learnerIdOf = (hash: string) =>
  sql`(SELECT ${learners.id} FROM ${learners} WHERE ${activeSession(hash)})`

const cookieDue = lt(learners.cookieRenewedAt, sql`now() - ${COOKIE_RENEWAL}`)

/**
 * Refreshes last_active_at when it is stale, and notes when the cookie is due to be re-issued
 * (`renewed` in the returned row): `renewCookie` then sends it again.
 */
export const touchLearner = (db: Db, hash: string) =>
  db
    .update(learners)
    .set({
      lastActiveAt: sql`now()`,
      cookieRenewedAt: sql`CASE WHEN ${cookieDue} THEN now() ELSE ${learners.cookieRenewedAt} END`,
    })
    .where(
      and(
        activeSession(hash),
        or(lt(learners.lastActiveAt, sql`now() - ${ACTIVITY_GRANULARITY}`), cookieDue),
      ),
    )
    .returning({ renewed: sql<boolean>`${learners.cookieRenewedAt} = now()` })

/** Re-issues the session cookie when `touchLearner` said it was due. */
export async function renewCookie(c: Context<AppEnv>, touched: unknown) {
  const [row] = touched as { renewed: boolean }[]
  if (row?.renewed) c.header('Set-Cookie', await issueSessionCookie(c, sessionOf(c).id))
}

/** Two statements: refresh last_active_at when it is stale, then read the learner (seeing that refresh). */
const identify = (db: Db, hash: string) => [
  touchLearner(db, hash),
  db.select().from(learners).where(activeSession(hash)),
]

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
  const send = () => batchByName(db, statements(db, learnerIdOf(hash)), { before: identify(db, hash) })
  const { named, before } = await (retry ? retryReads(send) : send())
  const [learner] = before[1] as Learner[]
  if (!learner) throw noSession(c, 'unknown_session')
  await renewCookie(c, before[0])
  return { learner, ...named }
}

/**
 * POST /v1/session: with a live session, touch the learner and re-issue its cookie (the one-year
 * lifetime slides while the learner keeps coming back); otherwise create a learner under a fresh
 * session id — never the id of a cookie that did not verify or whose learner is gone. Only a
 * creation counts against the per-address limit (`limitCreation`): a class behind one school address
 * resumes freely, while a replayed cookie of a revoked session cannot mint learners. One round trip;
 * two when a verified cookie's session turns out to be gone.
 */
export async function getOrCreateLearner(
  c: Context<AppEnv>,
  limitCreation: (c: Context<AppEnv>) => Promise<void>,
): Promise<{ learner: Learner; created: boolean }> {
  const { db, session } = c.var
  if (session) {
    const [resumed] = await db
      .update(learners)
      .set({ lastActiveAt: sql`now()`, cookieRenewedAt: sql`now()` })
      .where(activeSession(session.hash))
      .returning()
    if (resumed) {
      c.header('Set-Cookie', await issueSessionCookie(c, session.id))
      return { learner: resumed, created: false }
    }
  }
  await limitCreation(c)
  const newId = newSessionId()
  const [created] = await db
    .insert(learners)
    .values({ sessionId: await hashSessionId(newId) })
    .returning()
  if (!created) throw new Error('the learner insert returned no row')
  c.header('Set-Cookie', await issueSessionCookie(c, newId))
  return { learner: created, created: true }
}

/**
 * DELETE /v1/session: the learner keeps a session hash nobody holds the id for, so the old cookie is
 * useless everywhere; the cookie is cleared either way.
 */
export async function clearLearnerSession(c: Context<AppEnv>) {
  const { db, session } = c.var
  if (session) {
    const revoked = await hashSessionId(newSessionId())
    await db.update(learners).set({ sessionId: revoked }).where(activeSession(session.hash))
  }
  clearSessionCookie(c)
}

export const clearSessionCookie = (c: Context<AppEnv>) =>
  c.header('Set-Cookie', clearedSessionCookie(c.req.url))

/** What a learner sees of themself: never the session hash. */
export function presentLearner(learner: Learner): z.infer<typeof LearnerSchema> {
  return {
    id: learner.id,
    displayName: learner.displayName,
    metadata: learner.metadata,
    createdAt: learner.createdAt.toISOString(),
    lastActiveAt: learner.lastActiveAt.toISOString(),
  }
}
