/**
 * The relying party (from the bindings) and the options the browser is given for each ceremony:
 * discoverable credentials (no user name at sign-in), user verification required, no attestation.
 */

import type * as z from 'zod'
import type { Env } from '../env.ts'
import { ApiError } from '../errors.ts'
import { toBase64Url } from '../lib/encoding.ts'
import type { CreationOptionsSchema, RequestOptionsSchema } from '../schemas/passkeys.ts'
import { CHALLENGE_TTL_SECONDS } from './challenge.ts'
import { ALGORITHMS, type RelyingParty, userHandleOf } from './webauthn.ts'

/** The name passkey managers show next to the learner's passkey. */
const RP_NAME = 'Learning Progress'

/**
 * WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS; without them (or with an origin outside the RP ID's domain)
 * the passkey routes fail closed with a 500, while everything else works on.
 */
export function relyingParty(env: Pick<Env, 'WEBAUTHN_RP_ID' | 'WEBAUTHN_ORIGINS'>): RelyingParty {
  const { WEBAUTHN_RP_ID: id, WEBAUTHN_ORIGINS: origins = [] } = env
  const withinDomain = (origin: string) => {
    const { hostname } = new URL(origin)
    return hostname === id || hostname.endsWith(`.${id}`)
  }
  if (!id || origins.length === 0 || !origins.every(withinDomain)) {
    throw new ApiError(
      'misconfigured',
      'Passkeys are unavailable: WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS are missing or do not match.',
    )
  }
  return { id, origins: origins.map((origin) => new URL(origin).origin) }
}

type Descriptor = { credentialId: string; transports: string[] }

const descriptor = ({ credentialId, transports }: Descriptor) => ({
  type: 'public-key' as const,
  id: credentialId,
  ...(transports.length > 0 && { transports }),
})

export function creationOptions(
  rp: RelyingParty,
  learner: { id: string; displayName: string | null; createdAt: Date },
  challenge: Uint8Array,
  existing: Descriptor[],
): z.infer<typeof CreationOptionsSchema> {
  // What the passkey manager lists: the learner's name, else something they can recognise.
  const name = learner.displayName ?? `Learner since ${learner.createdAt.toISOString().slice(0, 10)}`
  return {
    publicKey: {
      rp: { id: rp.id, name: RP_NAME },
      user: { id: userHandleOf(learner.id), name, displayName: name },
      challenge: toBase64Url(challenge),
      pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: 'public-key' as const, alg })),
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      excludeCredentials: existing.map(descriptor),
      authenticatorSelection: {
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'required',
      },
      attestation: 'none',
    },
  }
}

export const requestOptions = (
  rp: RelyingParty,
  challenge: Uint8Array,
): z.infer<typeof RequestOptionsSchema>['publicKey'] => ({
  challenge: toBase64Url(challenge),
  rpId: rp.id,
  timeout: CHALLENGE_TTL_SECONDS * 1000,
  userVerification: 'required',
  allowCredentials: [],
})
