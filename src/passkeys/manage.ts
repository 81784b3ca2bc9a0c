/**
 * The learner's own passkeys: what lets them sign in on another device (sign-in.ts). Registering is
 * two requests: options (a signed challenge, the learner's passkeys excluded), then the browser's
 * answer, verified with Web Crypto (webauthn.ts) and stored in one learner write. Listing is one
 * read; renaming and removing are learner writes with an optional Idempotency-Key.
 */
import { and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm'
import type * as z from 'zod'
import { type Passkey, passkeys } from '../db/schema.ts'
import { type IdempotencyRequest, rowFromSnapshot } from '../progress/write/idempotency.ts'
import { learnerWrite, removeOwn } from '../progress/write/learner-write.ts'
import type { RegisterPasskeySchema } from '../schemas/passkeys.ts'
import { deviceLabel } from '../session/device-label.ts'
import { readLearner } from '../session/learner.ts'
import type { LearnerScope } from '../types.ts'
import { issueChallenge, verifyChallenge } from './challenge.ts'
import { creationOptions, relyingParty } from './options.ts'
import { passkeyProblem } from './refusals.ts'
import { storePasskey, useChallenge } from './statements.ts'
import { verifyRegistration } from './webauthn.ts'

/** Options for `navigator.credentials.create()`, with a challenge bound to this session. */
export async function passkeyCreationOptions(scope: LearnerScope) {
  const rp = relyingParty(scope.env)
  const { learner, existing } = await readLearner(scope, (db, learnerId) => ({
    existing: db
      .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
      .from(passkeys)
      .where(eq(passkeys.learnerId, learnerId)),
  }))
  const challenge = await issueChallenge(scope.env.SESSION_SECRETS, 'register', scope.session.hash)
  return creationOptions(rp, learner, challenge, existing)
}

/** Verifies the browser's answer to the options and stores the passkey (each challenge registers once). */
export async function registerPasskey(
  scope: LearnerScope,
  { credential, name }: z.infer<typeof RegisterPasskeySchema>,
): Promise<Passkey> {
  const registration = await verifyRegistration(credential, relyingParty(scope.env))
  const challenge = await verifyChallenge(
    scope.env.SESSION_SECRETS,
    registration.challenge,
    'register',
    scope.session.hash,
  )
  const written = await learnerWrite(
    scope,
    null,
    ({ db, learnerId }) => ({
      ...useChallenge(db, challenge),
      ...storePasskey(db, learnerId, registration, name ?? deviceLabel(scope.userAgent)),
    }),
    { resource: '/v1/me/passkeys' },
  ).catch((error: unknown) => {
    throw passkeyProblem(error)
  })
  const [passkey] = written.results?.stored ?? []
  if (!passkey) throw new Error('the passkey batch committed without its row')
  return passkey
}

/** The learner's passkeys, oldest first (never their keys: presentPasskey shows what may be shown). */
export async function listPasskeys(scope: LearnerScope) {
  const { owned } = await readLearner(scope, (db, learnerId) => ({
    owned: db
      .select()
      .from(passkeys)
      .where(eq(passkeys.learnerId, learnerId))
      .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
  }))
  return owned
}

const ownPasskey = (learnerId: SQL, passkeyId: string) =>
  and(eq(passkeys.id, passkeyId), eq(passkeys.learnerId, learnerId))

/** Renames one of the learner's passkeys: null when they have none with this id. */
export async function renamePasskey(
  scope: LearnerScope,
  passkeyId: string,
  name: string,
  idempotency: IdempotencyRequest | null,
): Promise<{ passkey: Passkey; replayed: boolean } | null> {
  const written = await learnerWrite(
    scope,
    idempotency,
    ({ db, learnerId, done }) => ({
      renamed: db
        .update(passkeys)
        .set({ name })
        .where(ownPasskey(learnerId, passkeyId))
        .returning({ ...getTableColumns(passkeys), done }),
    }),
    {
      resource: '/v1/me/passkeys',
      status: 200,
      snapshot: sql`jsonb_build_object('passkey', (SELECT to_jsonb(p) FROM ${passkeys} p WHERE p.id = ${passkeyId}))`,
    },
  )
  if (written.replay) {
    return { passkey: rowFromSnapshot(passkeys, written.replay.snapshot.passkey), replayed: true }
  }
  const [passkey] = written.results.renamed
  return passkey ? { passkey, replayed: false } : null
}

/** Removes one of the learner's passkeys: false when they have none with this id. */
export async function removePasskey(
  scope: LearnerScope,
  passkeyId: string,
  idempotency: IdempotencyRequest | null,
): Promise<{ found: boolean; replayed: boolean }> {
  const { found, replayed } = await removeOwn(
    scope,
    idempotency,
    '/v1/me/passkeys',
    ({ db, learnerId, done }) =>
      db.delete(passkeys).where(ownPasskey(learnerId, passkeyId)).returning({ done }),
  )
  return { found, replayed }
}
