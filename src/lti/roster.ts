/**
 * A course's roster as its class (LTI NRPS 2.0): the queue consumer reads the context's membership
 * service page by page (`Link: rel="next"`), then one batch makes the learners the platform names
 * that we have never seen (as a launch would), adds them to the context's class and takes out those
 * who left. Only the learners: instructors see the class, they are not in it.
 */
import { and, eq, sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { classMembers, learners, ltiContexts, ltiPlatforms, ltiUsers } from '../db/schema.ts'
import { callService, refusal, SCOPES, ServiceError } from './access-token.ts'
import { hasRole } from './claims.ts'
import type { ToolKeys } from './keys.ts'

export type RosterRequest = { platformId: string; contextId: string }

type Member = { user_id: string; name: string | null }

/** A long roster is read in pages; this many at most (10 000 members at Moodle's 1000 a page… or more). */
const MAX_PAGES = 50

/** The `rel="next"` URL of a Link header (RFC 8288), if any. */
function nextPage(link: string | null): string | undefined {
  for (const part of link?.split(',') ?? []) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim())
    if (match?.[1] && /\brel="?next"?/.test(match[2] ?? '')) return match[1]
  }
  return undefined
}

async function readMembers(
  platform: { id: string; clientId: string; accessTokenUrl: string },
  url: string,
  tool: ToolKeys,
): Promise<Member[]> {
  const members: Member[] = []
  let page: string | undefined = url
  for (let n = 0; page && n < MAX_PAGES; n++) {
    const res = await callService(platform, [SCOPES.roster], tool, page, {
      headers: { Accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' },
    })
    if (!res.ok) throw refusal('the roster request', res)
    const body = (await res.json()) as { members?: Record<string, unknown>[] }
    for (const member of body.members ?? []) {
      const active = member.status === undefined || member.status === 'Active'
      if (typeof member.user_id === 'string' && active && hasRole(member.roles, ['Learner']))
        members.push({
          user_id: member.user_id,
          name: typeof member.name === 'string' ? member.name.trim().slice(0, 80) || null : null,
        })
    }
    page = nextPage(res.headers.get('Link'))
  }
  return members
}

/**
 * Reads the course's roster and makes it the class's: `retry` when the platform may answer later,
 * with what it answered (for the log: never a URL or a token).
 */
export async function syncRoster(
  db: Db,
  { platformId, contextId }: RosterRequest,
  tool: ToolKeys,
): Promise<{ outcome: 'synced' | 'gone' | 'retry'; error?: string }> {
  const [course] = await retryReads(() =>
    db
      .select({ context: ltiContexts, platform: ltiPlatforms })
      .from(ltiContexts)
      .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiContexts.platformId))
      .where(and(eq(ltiContexts.platformId, platformId), eq(ltiContexts.contextId, contextId))),
  )
  if (!course?.context.membershipsUrl) return { outcome: 'gone' }
  let members: Member[]
  try {
    members = await readMembers(course.platform, course.context.membershipsUrl, tool)
  } catch (error) {
    if (error instanceof ServiceError)
      return { outcome: error.retry ? 'retry' : 'gone', error: error.message }
    throw error
  }
  const { issuer } = course.platform
  const { classId } = course.context
  const roster = sql`jsonb_to_recordset(${JSON.stringify(
    members.map((member) => ({ ...member, new_id: crypto.randomUUID() })),
  )}::jsonb) AS m(user_id text, name text, new_id uuid)`
  const known = sql`EXISTS (SELECT 1 FROM ${ltiUsers} u WHERE u.issuer = ${issuer} AND u.subject = m.user_id)`
  const ofIssuer = sql`SELECT u.learner_id FROM ${ltiUsers} u WHERE u.issuer = ${issuer}`
  await batchByName(db, {
    newLearners: db.execute(sql`INSERT INTO ${learners} (id, display_name)
      SELECT m.new_id, m.name FROM ${roster} WHERE NOT ${known}`),
    newUsers: db.execute(sql`INSERT INTO ${ltiUsers} (issuer, subject, learner_id)
      SELECT ${issuer}, m.user_id, m.new_id FROM ${roster}
      WHERE EXISTS (SELECT 1 FROM ${learners} l WHERE l.id = m.new_id) ON CONFLICT DO NOTHING`),
    joined: db.execute(sql`INSERT INTO ${classMembers} (class_id, learner_id)
      SELECT ${classId}, u.learner_id FROM ${roster} JOIN ${ltiUsers} u ON u.issuer = ${issuer} AND u.subject = m.user_id
      ON CONFLICT DO NOTHING`),
    left: db.execute(sql`DELETE FROM ${classMembers} c WHERE c.class_id = ${classId}
      AND c.learner_id IN (${ofIssuer})
      AND c.learner_id NOT IN (SELECT u.learner_id FROM ${roster} JOIN ${ltiUsers} u ON u.issuer = ${issuer} AND u.subject = m.user_id)`),
    synced: db
      .update(ltiContexts)
      .set({ syncedAt: sql`now()` })
      .where(and(eq(ltiContexts.platformId, platformId), eq(ltiContexts.contextId, contextId))),
  })
  return { outcome: 'synced' }
}
