/**
 * An LTI 1.3 launch, from the platform's id_token to a signed-in learner: the login's state (from the
 * browser's cookie) names the platform and the nonce; the token must be signed by that platform's key
 * and say what claims.ts checks; then one batch uses the nonce once (every isolate agrees, through
 * `used_challenges`), finds or creates the learner for (issuer, subject) and starts their session on
 * this device. Two round trips: the platform, then the write.
 */
import { and, eq, sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { failedAssertionOf } from '../db/errors.ts'
import { insertWhere } from '../db/insert-where.ts'
import { retryReads } from '../db/retry.ts'
import { activities, learners, ltiPlatforms, ltiUsers, sessions, skills, units } from '../db/schema.ts'
import { sha256Hex } from '../lib/encoding.ts'
import { useChallenge } from '../passkeys/statements.ts'
import { hashSessionId, newSessionId } from '../session/cookie.ts'
import { deviceLabel } from '../session/device-label.ts'
import { checkClaims, type Launch, type Refusal } from './claims.ts'
import { decodeJwt, JwtError, verifiedWith } from './jwt.ts'
import { gradeLink, instructorCourse } from './launch-records.ts'
import { PlatformKeysUnavailable, platformKey } from './platform-keys.ts'
import type { LoginState } from './state.ts'

/** No row has it: the unit lookup of a launch that names no unit. */
const NO_ID = '00000000-0000-0000-0000-000000000000'

/** The learner page's place for a launch's target: an activity, a skill, or a unit's skill; else the home page. */
function landingOf(target: Launch['target'], skillId: string | undefined): string | null {
  if (target?.kind === 'activity') return `#/activities/${target.id}`
  return skillId ? `#/skills/${skillId}` : null
}

/** A nonce already used is a replayed launch: the batch rolled back whole, nothing was written. */
async function replayRefused<T>(write: Promise<T>): Promise<T> {
  try {
    return await write
  } catch (error) {
    if (failedAssertionOf(error) === 'challenge_unused')
      throw new LaunchRefused(
        'nonce_replayed',
        'This launch was already used: start it again from your course.',
      )
    throw error
  }
}

export class LaunchRefused extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(detail)
  }
}

const refused = ({ reason, detail }: Refusal) => new LaunchRefused(reason, detail)

/** A live platform by id: the one the login's state names. */
export async function livePlatform(db: Db, platformId: string) {
  const [platform] = await retryReads(() =>
    db
      .select()
      .from(ltiPlatforms)
      .where(and(eq(ltiPlatforms.id, platformId), eq(ltiPlatforms.status, 'live'))),
  )
  return platform ?? null
}

/** The launch an id_token describes, once its signature and claims hold for the login's state. */
export async function verifyLaunch(
  db: Db,
  idToken: string,
  state: LoginState,
  now = Date.now(),
): Promise<Launch> {
  let jwt: ReturnType<typeof decodeJwt>
  try {
    jwt = decodeJwt(idToken)
  } catch (error) {
    if (error instanceof JwtError)
      throw new LaunchRefused('bad_token', `The launch's id_token is unreadable: ${error.message}.`)
    throw error
  }
  const platform = await livePlatform(db, state.platformId)
  if (!platform)
    throw new LaunchRefused(
      'unknown_platform',
      'The platform that started this login is no longer registered.',
    )
  let key: Awaited<ReturnType<typeof platformKey>>
  try {
    key = await platformKey(platform.jwksUrl, jwt.header.kid, now)
  } catch (error) {
    if (error instanceof PlatformKeysUnavailable)
      throw new LaunchRefused(
        'platform_keys_unavailable',
        `The platform's keys could not be read: ${error.message}.`,
      )
    throw error
  }
  if (!key)
    throw new LaunchRefused('unknown_key', 'The launch is signed with a key the platform does not publish.')
  if (!(await verifiedWith(jwt, key)))
    throw new LaunchRefused('bad_signature', 'The launch’s signature is not the platform’s.')
  const launch = checkClaims(jwt.claims, platform, now)
  if ('reason' in launch) throw refused(launch)
  if (launch.nonce !== state.nonce)
    throw new LaunchRefused('wrong_nonce', 'The launch does not answer this browser’s login.')
  return launch
}

/**
 * The write of a verified launch: the nonce used once (`challenge_unused` otherwise), the learner of
 * (issuer, subject) created on their first launch, and a new session for this device. The session's
 * id, for its cookie.
 */
export async function signInLaunch(db: Db, launch: Launch, userAgent: string | undefined) {
  const sessionId = newSessionId()
  const newLearnerId = crypto.randomUUID()
  const user = and(eq(ltiUsers.issuer, launch.issuer), eq(ltiUsers.subject, launch.subject))
  const known = sql`EXISTS (SELECT 1 FROM ${ltiUsers} WHERE ${user})`
  const learnerOfUser = sql`(SELECT ${ltiUsers.learnerId} FROM ${ltiUsers} WHERE ${user})`
  const idOf = (kind: string) => (launch.target?.kind === kind ? launch.target.id : NO_ID)
  const { named } = await replayRefused(
    batchByName(db, {
      ...useChallenge(db, {
        hash: await sha256Hex(`lti-nonce:${launch.issuer}:${launch.nonce}`),
        expiresAt: launch.expiresAt,
      }),
      learner: insertWhere(
        db,
        learners,
        { id: newLearnerId, displayName: launch.name ?? null },
        sql`NOT ${known}`,
      ).returning({
        id: learners.id,
      }),
      user: db
        .insert(ltiUsers)
        .values({ issuer: launch.issuer, subject: launch.subject, learnerId: newLearnerId })
        .onConflictDoNothing(),
      session: insertWhere(
        db,
        sessions,
        {
          learnerId: learnerOfUser,
          tokenHash: await hashSessionId(sessionId),
          label: deviceLabel(userAgent),
        },
        known,
      ).returning({ learnerId: sessions.learnerId }),
      ...gradeLink(db, launch, learnerOfUser, known),
      ...instructorCourse(db, launch),
      // A unit lands on its skill's page, and an instructor sees the skill's dashboard: which skill,
      // read in the same round trip.
      targetSkill: db.execute<{ skill_id: string | null }>(sql`SELECT coalesce(
        (SELECT u.skill_id FROM ${activities} a JOIN ${units} u ON u.id = a.unit_id WHERE a.id = ${idOf('activity')}),
        (SELECT skill_id FROM ${units} WHERE id = ${idOf('unit')}),
        (SELECT id FROM ${skills} WHERE id = ${idOf('skill')})) AS skill_id`),
    }),
  )
  const [session] = named.session
  if (!session) throw new Error('the launch session insert returned no row')
  const skillId = named.targetSkill.rows[0]?.skill_id ?? undefined
  const [course] = ((named as Record<string, unknown>).course ?? []) as { classId: string }[]
  return {
    sessionId,
    learnerId: session.learnerId,
    created: named.learner.length > 0,
    landing: landingOf(launch.target, skillId),
    /** An instructor's course, as its class, and the skill the link is about. */
    course: course && { classId: course.classId, skillId: skillId ?? null },
  }
}
