/**
 * The submit token: what a start read about the learner for the submit that follows, signed, so that
 * submit can grade and decide without reading it again and spend its one round trip on the write.
 *
 *   base64url(JSON claims) "." base64url(HMAC-SHA256)
 *
 * The key is derived from SESSION_SECRETS for this purpose only (session/derived-keys.ts): rotated
 * with them, and nothing signed for another purpose verifies as a token. The claims are the
 * learner's own progress (never an answer key nor an instance's values: content comes from the
 * catalogue, cached in the Worker, and instances are drawn from the seed there), so the token is
 * signed, not encrypted. A token is only ever a shortcut: the write checks
 * in SQL that every version it names is still current (progress/attempts/submit.ts), and an expired, forged
 * or stale token costs the fallback's extra round trip, never a wrong result.
 */
import { fromBase64Url, toBase64Url, utf8 } from '../../lib/encoding.ts'
import type { CreditHistory } from '../../mastery/credit.ts'
import type { MasteryState } from '../../mastery/state.ts'
import { derivedKeys, verifiedByAny } from '../../session/derived-keys.ts'

/**
 * Long enough for an activity started before lunch and submitted after; short enough that a token
 * signed with a secret since retired stops verifying soon after.
 */
export const SUBMIT_TOKEN_TTL_MS = 2 * 60 * 60 * 1000

/** 2: credit history, seed and ordinal in place of the shown questions; older tokens take the two-trip path. */
const FORMAT = 2

export type SubmitTokenClaims = {
  learnerId: string
  attemptId: string
  activityId: string
  /** The attempt's content version: the cached content it is graded against. */
  contentVersion: number
  /** The attempt's questions, as drawn at its start, and what its instances are drawn from. */
  questions: string[]
  seed: number | null
  ordinal: number | null
  /**
   * What the learner did with each question of the activity before (times, not a set: the window is
   * judged at submit's time, so both paths agree even when a window ends between start and submit).
   */
  history: CreditHistory
  skillId: string
  /** The skill's catalogue version (skill_catalogue_versions): its cached structure and parameters. */
  catalogueVersion: number
  /** The learner's state on the skill, and its version (0: none yet). */
  state: MasteryState | null
  stateVersion: number
  /** The skill's activities the learner had completed, and those passed. */
  completed: string[]
  passed: string[]
  /** Milliseconds since the epoch. */
  expiresAt: number
}

export type TokenCheck =
  | { ok: true; claims: SubmitTokenClaims }
  | { ok: false; reason: 'expired' | 'unverified' | 'unavailable' }

const keysFor = (secrets: readonly string[] | undefined) => derivedKeys(secrets, 'submit-token')

/** The token for `claims`, or null when SESSION_SECRETS cannot sign (the submit then reads). */
export async function signSubmitToken(
  secrets: readonly string[] | undefined,
  claims: SubmitTokenClaims,
): Promise<string | null> {
  const keys = await keysFor(secrets)
  if (!keys) return null
  const payload = utf8(JSON.stringify({ format: FORMAT, ...claims }))
  const mac = await crypto.subtle.sign('HMAC', keys.signing, payload)
  return `${toBase64Url(payload)}.${toBase64Url(new Uint8Array(mac))}`
}

/** The claims of a token this deployment signed and that has not expired as of `now`. */
export async function verifySubmitToken(
  secrets: readonly string[] | undefined,
  token: string,
  now: Date,
): Promise<TokenCheck> {
  const keys = await keysFor(secrets)
  if (!keys) return { ok: false, reason: 'unavailable' }
  const [payloadPart, macPart, ...rest] = token.split('.')
  if (!payloadPart || !macPart || rest.length > 0) return { ok: false, reason: 'unverified' }
  let payload: Uint8Array<ArrayBuffer>
  let mac: Uint8Array<ArrayBuffer>
  try {
    payload = fromBase64Url(payloadPart)
    mac = fromBase64Url(macPart)
  } catch {
    return { ok: false, reason: 'unverified' }
  }
  if (!(await verifiedByAny(keys, mac, payload))) return { ok: false, reason: 'unverified' }
  // Signed by us, so well-formed by construction; the format guards against our own older shapes.
  const { format, ...claims } = JSON.parse(new TextDecoder().decode(payload)) as SubmitTokenClaims & {
    format: number
  }
  if (format !== FORMAT) return { ok: false, reason: 'unverified' }
  if (claims.expiresAt <= now.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true, claims: { ...claims, state: claims.state && revive(claims.state) } }
}

/** JSON turned the state's dates into strings; the model wants them back. */
function revive(state: MasteryState): MasteryState {
  const date = (value: Date | string | null) => (value === null ? null : new Date(value))
  return { ...state, due: date(state.due), lastReview: date(state.lastReview) }
}
