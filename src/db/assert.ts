/**
 * What a batch's statements may rely on, stated in the batch itself. A failed assertion rolls the
 * whole batch (one transaction) back with SQLSTATE LP409 and its name (batch_assert, drizzle/0006),
 * so nothing partial is ever committed and each name has its own answer.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { Db } from './client.ts'
import { failedAssertionOf } from './errors.ts'

export type Assertion =
  // every learner write (progress/write/learner-write.ts)
  | 'session_active'
  | 'key_claimed'
  // submit and abandon
  | 'skill_state_unchanged'
  | 'attempt_in_progress'
  // passkeys (passkeys/statements.ts)
  | 'challenge_unused'
  | 'passkey_limit'
  | 'credential_new'
  | 'passkey_counter'
  // merging a learner into another at sign-in (progress/merge/merge.ts)
  | 'merge_unchanged'
  // adding a prerequisite (catalogue/prerequisites.ts)
  | 'prerequisite_acyclic'
  // reordering a skill (catalogue/structure.ts)
  | 'order_lists_everything'

/** A statement that rolls the batch back, naming `assertion`, unless `condition` is true. */
export const batchAssert = (db: Db, condition: SQL, assertion: Assertion) =>
  db.execute(sql`SELECT batch_assert(${condition}, ${assertion})`)

/** The assertion that rolled a batch back, if that is what happened. */
export const failedAssertion = (error: unknown) => failedAssertionOf(error) as Assertion | undefined

/** An assertion of the operation's own failed: the caller decides what it means (retry, 409, …). */
export class AssertionFailed extends Error {
  constructor(
    readonly assertion: Assertion,
    options?: ErrorOptions,
  ) {
    super(`assertion failed: ${assertion}`, options)
    this.name = 'AssertionFailed'
  }
}

/** Runs `send` (a batch); an assertion of the batch that failed comes back as `AssertionFailed`. */
export async function asserting<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    const assertion = failedAssertion(error)
    throw assertion ? new AssertionFailed(assertion, { cause: error }) : error
  }
}

/**
 * A transaction-local flag: put `set` in the RETURNING of a statement that may or may not affect a
 * row, then assert `isSet` — "that statement did something" — later in the same batch.
 */
export function marker(name: string) {
  const setting = `lp.${name}`
  return {
    set: sql`set_config(${setting}, 'yes', true)`,
    /** Sets the flag to whether `condition` holds, and is that value. */
    setTo: (condition: SQL) =>
      sql`set_config(${setting}, CASE WHEN ${condition} THEN 'yes' ELSE 'no' END, true) = 'yes'`,
    isSet: sql`coalesce(current_setting(${setting}, true) = 'yes', false)`,
  }
}
