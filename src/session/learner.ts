/**
 * The learner behind a session, looked up inside each route's own round trip: every learner route
 * sends `db.batch([...identify(db, hash), ...its own statements])`, one HTTP request and one
 * transaction, and its statements find the learner through `learnerIdOf(hash)`.
 */
import { and, eq, gt, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { type Learner, learners } from '../db/schema.ts'

/**
 * `last_active_at` is refreshed at most this often, so reads do not rewrite the learner row on every
 * request (and contend on its lock) while the value stays useful.
 */
export const ACTIVITY_GRANULARITY = sql`interval '5 minutes'`

/**
 * A session unused this long is over (idle timeout), matching the cookie's one-year lifetime; using
 * it slides the window (POST /v1/session re-issues the cookie). There is deliberately no absolute
 * timeout: the cookie is an anonymous learner's only key to their progress.
 */
export const IDLE_LIMIT = sql`interval '365 days'`

/** The learner row of a live session: this hash, used within the idle limit. */
export const activeSession = (hash: string) =>
  and(eq(learners.sessionId, hash), gt(learners.lastActiveAt, sql`now() - ${IDLE_LIMIT}`))

/** A subquery for the learner's id, for statements that run in the same batch. */
export const learnerIdOf = (hash: string) =>
  sql`(SELECT ${learners.id} FROM ${learners} WHERE ${activeSession(hash)})`

/** Two statements: refresh last_active_at when it is stale, then read the learner (seeing that refresh). */
export function identify(db: Db, hash: string) {
  return [
    db
      .update(learners)
      .set({ lastActiveAt: sql`now()` })
      .where(and(activeSession(hash), lt(learners.lastActiveAt, sql`now() - ${ACTIVITY_GRANULARITY}`))),
    db.select().from(learners).where(activeSession(hash)),
  ] as const
}

/** What a learner sees of themself: never the session hash. */
export function presentLearner(learner: Learner) {
  return {
    id: learner.id,
    displayName: learner.displayName,
    metadata: learner.metadata,
    createdAt: learner.createdAt.toISOString(),
    lastActiveAt: learner.lastActiveAt.toISOString(),
  }
}
