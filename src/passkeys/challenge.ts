/**
 * WebAuthn challenges without a table: the Worker signs each one (HMAC, a key derived from
 * SESSION_SECRETS) with its purpose and expiry, so the options routes cost no round trip and a client
 * without a session cannot fill a table by asking for options. A challenge is recorded only by the
 * write that verifies it (`used_challenges`, see passkeys/statements.ts), so it verifies once.
 *
 *   version (1) | purpose (1) | expires, Unix seconds (4) | nonce (16) | HMAC-SHA256 (32)
 *
 * The HMAC also covers a binding: the session hash for registration (options fetched by one learner
 * cannot register a passkey for another), nothing for sign-in (the caller may have no session).
 */
import { ApiError } from '../errors.ts'
import { toHex } from '../lib/encoding.ts'
import { derivedKeys, verifiedByAny } from '../session/derived-keys.ts'

/** How long a challenge may be answered; the options' `timeout` says the same to the browser. */
export const CHALLENGE_TTL_SECONDS = 300

const VERSION = 1
const PURPOSES = { register: 1, signIn: 2 } as const
export type ChallengePurpose = keyof typeof PURPOSES

const SIGNED_LENGTH = 22
const LENGTH = SIGNED_LENGTH + 32

const keysFor = (secrets: readonly string[] | undefined) => derivedKeys(secrets, 'webauthn-challenge')

async function requireKeys(secrets: readonly string[] | undefined) {
  const keys = await keysFor(secrets)
  if (!keys) {
    throw new ApiError('misconfigured', 'Passkeys are unavailable: SESSION_SECRETS is missing or too short.')
  }
  return keys
}

const withBinding = (signed: Uint8Array, binding: string) => {
  const bound = new TextEncoder().encode(binding)
  const data = new Uint8Array(signed.length + bound.length)
  data.set(signed)
  data.set(bound, signed.length)
  return data
}

export async function issueChallenge(
  secrets: readonly string[] | undefined,
  purpose: ChallengePurpose,
  binding = '',
  now = Date.now(),
): Promise<Uint8Array> {
  const { signing } = await requireKeys(secrets)
  const challenge = new Uint8Array(LENGTH)
  const view = new DataView(challenge.buffer)
  view.setUint8(0, VERSION)
  view.setUint8(1, PURPOSES[purpose])
  view.setUint32(2, Math.floor(now / 1000) + CHALLENGE_TTL_SECONDS)
  challenge.set(crypto.getRandomValues(new Uint8Array(16)), 6)
  const signed = challenge.subarray(0, SIGNED_LENGTH)
  const mac = await crypto.subtle.sign('HMAC', signing, withBinding(signed, binding))
  challenge.set(new Uint8Array(mac), SIGNED_LENGTH)
  return challenge
}

export type VerifiedChallenge = {
  /** SHA-256 of the challenge (hex): what `used_challenges` records. */
  hash: string
  expiresAt: Date
}

const refused = (detail: string) => new ApiError('passkey_refused', detail, { reason: 'passkey_challenge' })

/**
 * The challenge a browser signed over, checked: issued by this API (any current key), for this
 * purpose and binding, not expired. Whether it was already used is the write's to assert.
 */
export async function verifyChallenge(
  secrets: readonly string[] | undefined,
  challenge: Uint8Array,
  purpose: ChallengePurpose,
  binding = '',
  now = Date.now(),
): Promise<VerifiedChallenge> {
  const keys = await requireKeys(secrets)
  const bytes = new Uint8Array(challenge)
  if (bytes.length !== LENGTH || bytes[0] !== VERSION) {
    throw refused('The challenge was not issued by this API: ask for new options.')
  }
  const view = new DataView(bytes.buffer)
  const signed = withBinding(bytes.subarray(0, SIGNED_LENGTH), binding)
  const mac = bytes.subarray(SIGNED_LENGTH)
  if (!(await verifiedByAny(keys, mac, signed)) || view.getUint8(1) !== PURPOSES[purpose]) {
    throw refused('The challenge was not issued by this API for this request: ask for new options.')
  }
  const expires = view.getUint32(2)
  if (expires * 1000 <= now) throw refused('The challenge has expired: ask for new options.')
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return { hash: toHex(new Uint8Array(digest)), expiresAt: new Date(expires * 1000) }
}
