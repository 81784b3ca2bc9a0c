/**
 * Who may frame LTI's pages: the live platforms, by origin (their issuer's and their login
 * endpoint's). Read once a minute per isolate at most: a platform approved or removed is framing or
 * not within the minute. The learner page at `/` stays framed by nobody; inside an LMS it is served
 * at /lti/app/ with these ancestors.
 */
import { eq } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { ltiPlatforms } from '../db/schema.ts'

const MAX_AGE_MS = 60 * 1000
let cached: { origins: string[]; at: number } | undefined

export async function platformOrigins(db: Db, now = Date.now()): Promise<string[]> {
  if (cached && now - cached.at < MAX_AGE_MS) return cached.origins
  const rows = await retryReads(() =>
    db
      .select({ issuer: ltiPlatforms.issuer, login: ltiPlatforms.authLoginUrl })
      .from(ltiPlatforms)
      .where(eq(ltiPlatforms.status, 'live')),
  )
  const origins = [
    ...new Set(rows.flatMap((row) => [row.issuer, row.login].map((url) => new URL(url).origin))),
  ].sort()
  cached = { origins, at: now }
  return origins
}

/** Forgets the cached origins: a platform was registered, approved or removed here. */
export const forgetPlatformOrigins = () => {
  cached = undefined
}

/** The sources of a `frame-ancestors` directive for these origins: 'none' when there are none. */
export const frameAncestors = (origins: readonly string[]) =>
  origins.length === 0 ? "'none'" : origins.join(' ')

/** The learner page's CSP (public/_headers, `/`), but for who may frame it. test/node/build.test.ts holds them equal. */
export const LEARNER_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"

export const LEARNER_PAGE_PERMISSIONS =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), publickey-credentials-create=(self), publickey-credentials-get=(self)'
