/**
 * What the cron deletes so that abandoned data does not stay forever: sessions idle past the idle
 * limit (their cookies already no longer work), then anonymous learners nobody can reach any more —
 * no passkey, no session left, and no activity within the idle limit. A learner with a passkey, or
 * known to an LMS (LTI), is kept: they can sign in again on any device, or launch again.
 */
import { and, lt, notExists, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { learners, ltiUsers, passkeys, sessions, usedChallenges } from '../db/schema.ts'
import { IDLE_LIMIT } from './learner.ts'

const idleBefore = (at: Date) => sql`${at.toISOString()}::timestamptz - ${IDLE_LIMIT}`

export const deleteIdleSessions = (db: Db, at: Date) =>
  db.delete(sessions).where(lt(sessions.lastUsedAt, idleBefore(at)))

export const deleteAbandonedLearners = (db: Db, at: Date) =>
  db
    .delete(learners)
    .where(
      and(
        lt(learners.lastActiveAt, idleBefore(at)),
        notExists(
          db.select({ one: sql`1` }).from(passkeys).where(sql`${passkeys.learnerId} = ${learners.id}`),
        ),
        notExists(
          db.select({ one: sql`1` }).from(sessions).where(sql`${sessions.learnerId} = ${learners.id}`),
        ),
        notExists(
          db.select({ one: sql`1` }).from(ltiUsers).where(sql`${ltiUsers.learnerId} = ${learners.id}`),
        ),
      ),
    )

/** Used WebAuthn challenges and LTI nonces are kept only until they would have expired anyway. */
export const deleteExpiredChallenges = (db: Db, at: Date) =>
  db.delete(usedChallenges).where(lt(usedChallenges.expiresAt, sql`${at.toISOString()}::timestamptz`))
