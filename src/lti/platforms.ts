/**
 * The LMS platforms this tool trusts: registered, listed, approved (a dynamically registered draft
 * becomes live) and removed by an admin. Each one statement: one round trip.
 */
import { and, asc, eq, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { type LtiPlatform, ltiPlatforms } from '../db/schema.ts'

export type PlatformInput = Pick<
  LtiPlatform,
  'name' | 'issuer' | 'clientId' | 'deploymentIds' | 'authLoginUrl' | 'accessTokenUrl' | 'jwksUrl'
>

/** A live platform; a second one with the same issuer and client id is a conflict (409). */
export async function registerPlatform(
  db: Db,
  author: string,
  input: PlatformInput,
  status: 'live' | 'draft' = 'live',
) {
  const [platform] = await db
    .insert(ltiPlatforms)
    .values({ ...input, status, createdBy: author })
    .returning()
  if (!platform) throw new Error('the platform insert returned no row')
  return platform
}

export const listPlatforms = (db: Db) =>
  retryReads(() =>
    db.select().from(ltiPlatforms).orderBy(asc(ltiPlatforms.name), asc(ltiPlatforms.createdAt)),
  )

/** The platform made live, or null when there is no draft by that id. */
export async function approvePlatform(db: Db, platformId: string) {
  const [platform] = await db
    .update(ltiPlatforms)
    .set({ status: 'live' })
    .where(and(eq(ltiPlatforms.id, platformId), eq(ltiPlatforms.status, 'draft')))
    .returning()
  return platform ?? null
}

/** False when there was no such platform. Its learners keep their progress (and their LTI identity). */
export async function deletePlatform(db: Db, platformId: string) {
  const gone = await db
    .delete(ltiPlatforms)
    .where(eq(ltiPlatforms.id, platformId))
    .returning({ id: ltiPlatforms.id })
  return gone.length > 0
}

/**
 * Drafts nobody approved within a week: Dynamic Registration lets anyone who can reach the page
 * leave one (never trusted, rate-limited), so the cron clears the ones left behind.
 */
export const deleteStaleDraftPlatforms = (db: Db, at: Date) =>
  db
    .delete(ltiPlatforms)
    .where(
      and(
        eq(ltiPlatforms.status, 'draft'),
        lt(ltiPlatforms.createdAt, sql`${at.toISOString()}::timestamptz - interval '7 days'`),
      ),
    )
