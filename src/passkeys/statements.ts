/** The statements passkey writes share: a challenge used once, a passkey stored or signed in with. */
import { and, eq, getTableColumns, type SQL, sql } from 'drizzle-orm'
import { batchAssert, marker } from '../db/assert.ts'
import type { Db } from '../db/client.ts'
import { passkeys, usedChallenges } from '../db/schema.ts'
import type { VerifiedChallenge } from './challenge.ts'
import type { VerifiedAssertion, VerifiedRegistration } from './webauthn.ts'

/** More than enough for every device and provider a learner has; a bound on what one learner can store. */
export const MAX_PASSKEYS = 20

const challengeFresh = marker('challenge_fresh')
const credentialStored = marker('credential_stored')
const counterAdvanced = marker('counter_advanced')

/** Records the challenge as used, asserting nobody used it before (else `challenge_unused` fails). */
export const useChallenge = (db: Db, { hash, expiresAt }: VerifiedChallenge) => ({
  challengeRecorded: db
    .insert(usedChallenges)
    .values({ hash, expiresAt })
    .onConflictDoNothing()
    .returning({ fresh: challengeFresh.set }),
  challengeUnused: batchAssert(db, challengeFresh.isSet, 'challenge_unused'),
})

/** Stores a verified passkey for `learnerId`, asserting room for it and that its credential is new. */
export const storePasskey = (db: Db, learnerId: SQL, passkey: VerifiedRegistration, name: string) => ({
  room: batchAssert(
    db,
    sql`(SELECT count(*) FROM ${passkeys} WHERE ${passkeys.learnerId} = ${learnerId}) < ${MAX_PASSKEYS}`,
    'passkey_limit',
  ),
  stored: db
    .insert(passkeys)
    .values({
      learnerId,
      credentialId: passkey.credentialId,
      publicKey: passkey.publicKey,
      algorithm: passkey.algorithm,
      signCount: passkey.signCount,
      transports: passkey.transports,
      backupEligible: passkey.backupEligible,
      backedUp: passkey.backedUp,
      name,
    })
    .onConflictDoNothing({ target: passkeys.credentialId })
    .returning({ ...getTableColumns(passkeys), stored: credentialStored.set }),
  credentialNew: batchAssert(db, credentialStored.isSet, 'credential_new'),
})

/**
 * The passkey's counter and last use, under the counter rule: a counter that does not go up may be a
 * cloned authenticator, but synced passkeys report 0 forever, so a counter is refused
 * (`passkey_counter`) only when the stored one is above 0 and the new one is not greater — and only
 * for a device-bound passkey: a backup-eligible one is meant to be copied between devices, each of
 * which may count on its own. Two sign-ins racing with one counter cannot both pass: the UPDATE
 * re-checks a row another transaction changed.
 */
export const signInWith = (db: Db, passkeyId: string, { signCount, backedUp }: VerifiedAssertion) => ({
  passkeyUsed: db
    .update(passkeys)
    .set({
      signCount: sql`greatest(${passkeys.signCount}, ${signCount}::bigint)`,
      backedUp,
      lastUsedAt: sql`now()`,
    })
    .where(
      and(
        eq(passkeys.id, passkeyId),
        sql`(${passkeys.signCount} = 0 OR ${signCount}::bigint > ${passkeys.signCount} OR ${passkeys.backupEligible})`,
      ),
    )
    .returning({ advanced: counterAdvanced.set }),
  counterAdvanced: batchAssert(db, counterAdvanced.isSet, 'passkey_counter'),
})
