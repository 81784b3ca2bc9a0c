/**
 * Class join codes: eight characters of a 32-character alphabet without look-alikes (no I, O, 0 or
 * 1), drawn from the CSPRNG: 32⁸ ≈ 1.1 × 10¹² codes, so guessing one at a learner's rate limit
 * would take millennia. Learners may type them in any case, with spaces or dashes.
 */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const LENGTH = 8

export function newJoinCode() {
  const bytes = crypto.getRandomValues(new Uint8Array(LENGTH))
  // 256 is a multiple of 32: every character is equally likely.
  return [...bytes].map((byte) => ALPHABET[byte % ALPHABET.length]).join('')
}

/** What a learner typed, as stored: upper case, without spaces and dashes. */
export const normaliseJoinCode = (typed: string) => typed.toUpperCase().replace(/[\s-]/g, '')
