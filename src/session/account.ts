/**
 * The learner's account: their profile and their devices (one session each). Reads are one round
 * trip through `readLearner`; every write is a learner write (progress/write/learner-write.ts): one
 * round trip under the learner's lock, with an optional Idempotency-Key whose replay answers what
 * the first request did.
 */
import { and, desc, eq, getTableColumns, ne, type SQL, sql } from 'drizzle-orm'
import { type Learner, learners, sessions } from '../db/schema.ts'
import { type IdempotencyRequest, rowFromSnapshot } from '../progress/write/idempotency.ts'
import { learnerWrite, NO_CONTENT, removeOwn } from '../progress/write/learner-write.ts'
import type { LearnerScope } from '../types.ts'
import { IDLE_LIMIT, readLearner } from './learner.ts'

/** The learner as the write left it, for its replay. */
const learnerSnapshot = (learnerId: SQL) =>
  sql`jsonb_build_object('learner', (SELECT to_jsonb(l) FROM ${learners} l WHERE l.id = ${learnerId}))`

export async function renameLearner(
  scope: LearnerScope,
  displayName: string | null,
  idempotency: IdempotencyRequest | null,
): Promise<{ learner: Learner; replayed: boolean }> {
  const written = await learnerWrite(
    scope,
    idempotency,
    ({ db, learnerId, done }) => ({
      updated: db
        .update(learners)
        .set({ displayName, lastActiveAt: sql`now()` })
        .where(eq(learners.id, learnerId))
        .returning({ ...getTableColumns(learners), done }),
    }),
    ({ learnerId }) => ({ resource: '/v1/me', status: 200, snapshot: learnerSnapshot(learnerId) }),
  )
  if (written.replay) {
    return { learner: rowFromSnapshot(learners, written.replay.snapshot.learner), replayed: true }
  }
  const [learner] = written.results.updated
  if (!learner) throw new Error('the learner was locked but not updated')
  return { learner, replayed: false }
}

/**
 * Deletes the learner with their attempts, states, sessions and keys (the foreign keys cascade).
 * The key's record goes with them, so a retry finds no session: its 401 says the deletion happened.
 */
export async function deleteLearner(scope: LearnerScope, idempotency: IdempotencyRequest | null) {
  await learnerWrite(
    scope,
    idempotency,
    ({ db, learnerId, done }) => ({
      deleted: db.delete(learners).where(eq(learners.id, learnerId)).returning({ done }),
    }),
    { resource: '/v1/me', ...NO_CONTENT },
  )
  scope.device.ended()
}

/** The learner's live sessions, most recently used first; `current` marks this device's. */
export async function listDevices(scope: LearnerScope) {
  const { hash } = scope.session
  const { devices } = await readLearner(scope, (db, learnerId) => ({
    devices: db
      .select({ ...getTableColumns(sessions), current: sql<boolean>`${sessions.tokenHash} = ${hash}` })
      .from(sessions)
      .where(and(eq(sessions.learnerId, learnerId), sql`${sessions.lastUsedAt} > now() - ${IDLE_LIMIT}`))
      .orderBy(desc(sessions.lastUsedAt), desc(sessions.id)),
  }))
  return devices
}

/**
 * Ends one of the learner's sessions: false when the learner has none with this id. Ending this
 * device's own clears its cookie.
 */
export async function signDeviceOut(
  scope: LearnerScope,
  sessionId: string,
  idempotency: IdempotencyRequest | null,
): Promise<{ found: boolean; replayed: boolean }> {
  const { hash } = scope.session
  const { found, replayed, removed } = await removeOwn(
    scope,
    idempotency,
    '/v1/me/sessions',
    ({ db, learnerId, done }) =>
      db
        .delete(sessions)
        .where(and(eq(sessions.id, sessionId), eq(sessions.learnerId, learnerId)))
        .returning({ current: sql<boolean>`${sessions.tokenHash} = ${hash}`, done }),
  )
  if (removed.some((device) => device.current)) scope.device.ended()
  return { found, replayed }
}

/** Ends every session of the learner but this device's. */
export async function signOtherDevicesOut(scope: LearnerScope, idempotency: IdempotencyRequest | null) {
  const { hash } = scope.session
  const written = await learnerWrite(
    scope,
    idempotency,
    ({ db, learnerId, done }) => ({
      // Done even when there was nothing to end: the answer is the same 204.
      done: db.execute(sql`SELECT ${done}`),
      removed: db
        .delete(sessions)
        .where(and(eq(sessions.learnerId, learnerId), ne(sessions.tokenHash, hash))),
    }),
    { resource: '/v1/me/sessions', ...NO_CONTENT },
  )
  return { replayed: written.replay !== null }
}
