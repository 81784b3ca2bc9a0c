/**
 * Abandoning an attempt in progress: one learner write (learner-write.ts) whose replay answers the
 * attempt as committed.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm'
import { type Attempt, attempts } from '../../db/schema.ts'
import type { LearnerScope } from '../../types.ts'
import { ownAttempt } from '../queries.ts'
import { type IdempotencyRequest, rowFromSnapshot } from '../write/idempotency.ts'
import { learnerWrite } from '../write/learner-write.ts'

export type Abandoned =
  | { outcome: 'abandoned'; attempt: Attempt; replayed: boolean }
  | { outcome: 'not_found' }
  | { outcome: 'not_in_progress'; status: Attempt['status'] }

export async function abandonAttempt(
  scope: LearnerScope,
  attemptId: string,
  idempotency: IdempotencyRequest | null,
): Promise<Abandoned> {
  const written = await learnerWrite(
    scope,
    idempotency,
    ({ db, learnerId, done }) => ({
      found: db.select({ status: attempts.status }).from(attempts).where(ownAttempt(learnerId, attemptId)),
      abandoned: db
        .update(attempts)
        .set({ status: 'abandoned' })
        .where(and(ownAttempt(learnerId, attemptId), eq(attempts.status, 'in_progress')))
        .returning({ ...getTableColumns(attempts), done }),
    }),
    {
      status: 200,
      snapshot: sql`jsonb_build_object('attempt', (SELECT to_jsonb(t) FROM ${attempts} t WHERE t.id = ${attemptId}))`,
      resource: `/v1/me/attempts/${attemptId}`,
    },
  )
  if (written.replay) {
    const attempt = rowFromSnapshot(attempts, written.replay.snapshot.attempt)
    return { outcome: 'abandoned', attempt, replayed: true }
  }
  const [found] = written.results.found
  const [abandoned] = written.results.abandoned
  if (!found) return { outcome: 'not_found' }
  if (!abandoned) return { outcome: 'not_in_progress', status: found.status }
  return { outcome: 'abandoned', attempt: abandoned, replayed: false }
}
