/**
 * `npm run bench:cookie`: what signing and verifying a session cookie costs, over 10 000 rounds,
 * with Web Crypto in Node (the API workerd implements). A local proxy only: workerd enforces no CPU
 * limit locally, and the edge's CPUs differ.
 */
import { newSessionId, sessionKeys, signSessionId, verifySessionCookie } from '../src/session/cookie.ts'

const ROUNDS = 10_000
const keys = await sessionKeys([
  'bench-only-session-secret-0123456789abcdef',
  'an-older-bench-secret-0123456789abcdef',
])
if (!keys) throw new Error('bad secret')
const id = newSessionId()
const signed = await signSessionId(id, keys.signing)

const time = async (label: string, run: () => Promise<unknown>) => {
  const started = performance.now()
  for (let i = 0; i < ROUNDS; i++) await run()
  const microseconds = ((performance.now() - started) * 1000) / ROUNDS
  console.log(`${label.padEnd(38)} ${microseconds.toFixed(1)} µs per call`)
}

await time('sign', () => signSessionId(id, keys.signing))
await time('verify (current key)', () => verifySessionCookie(signed, keys))
const older = await signSessionId(id, keys.verifying[1] as CryptoKey)
await time('verify (older key, rotation)', () => verifySessionCookie(older, keys))
await time('verify (tampered: every key tried)', () =>
  verifySessionCookie(`${signed.slice(0, 70)}A${signed.slice(71)}`, keys),
)
