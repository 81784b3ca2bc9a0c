/**
 * An instructor's launch (LTI NRPS): their course becomes a class, its roster is read through the
 * queue page by page into the class, and the instructor lands on a read-only view of it, with a pass
 * that is good for that class alone and for nothing under /v1.
 */
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { classMembers, ltiContexts } from '../src/db/schema.ts'
import { openPass } from '../src/lti/class-view.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { api, completeActivity, countRoundTrips, expectProblem, json, send, testDb } from './helpers.ts'
import {
  CLAIM,
  claims,
  cookieValue,
  LEARNER_ROLE,
  launch,
  login,
  PLATFORM,
  registerPlatform,
  signed,
} from './lti-launch.ts'

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'

const behave = (asked: object) => fetch(`${PLATFORM}/behave`, { method: 'POST', body: JSON.stringify(asked) })
const member = (userId: string, roles = [LEARNER_ROLE]) => ({
  user_id: userId,
  name: `Pupil ${userId}`,
  roles,
  status: 'Active',
})

async function courseLaunch(issuer: string, sub: string, roles: string[], custom: object, course: string) {
  const { state, nonce, cookie } = await login(issuer)
  const token = await signed({
    claims: claims(issuer, nonce, {
      sub,
      [`${CLAIM}/roles`]: roles,
      [`${CLAIM}/custom`]: custom,
      [`${CLAIM}/context`]: { id: course, title: 'Year 9 Science' },
      [NRPS]: { context_memberships_url: `${PLATFORM}/memberships/${course}`, service_versions: ['2.0'] },
    }),
  })
  return launch({ id_token: token, state }, cookie)
}

/** The class's members once the queue has synced `count` of them. */
async function membersOnceSynced(classId: string, count: number) {
  const db = testDb()
  for (let tries = 0; tries < 600; tries++) {
    const rows = await db.select().from(classMembers).where(eq(classMembers.classId, classId))
    if (rows.length === count) return rows
    await scheduler.wait(100)
  }
  throw new Error(`the class never had ${count} members`)
}

describe('an instructor’s launch', () => {
  it('makes the course a class, syncs its roster through the queue, and shows the instructor the class, read-only', {
    timeout: 90_000,
  }, async () => {
    const platform = await registerPlatform()
    const db = testDb()
    const skill = await insertSkill(db, { name: 'Tides' })
    const activity = await insertActivity(db, (await insertUnit(db, skill.id)).id)
    const course = `course-${crypto.randomUUID()}`
    // Five members on three pages (two a page): four learners, one of them inactive, and the teacher.
    await behave({
      roster: [
        member('pupil-1'),
        member('pupil-2'),
        member('teacher-1', [INSTRUCTOR]),
        { ...member('pupil-3'), status: 'Inactive' },
        // Moodle's roster names roles by their short names.
        member('pupil-4', ['Learner']),
      ],
    })
    const res = await courseLaunch(platform.issuer, 'teacher-1', [INSTRUCTOR], { skill: skill.id }, course)
    expect(res.status, await res.clone().text()).toBe(303)
    expect(res.headers.get('location')).toBe('http://api.test/lti/class')
    const passCookie = res.headers.getSetCookie().find((c) => c.startsWith('lti_class=')) as string
    expect(passCookie).toMatch(/Path=\/lti\/class/)
    expect(passCookie).toMatch(/Secure; SameSite=None; Partitioned/)
    const pass = cookieValue(res, 'lti_class') as string

    const [context] = await db.select().from(ltiContexts).where(eq(ltiContexts.contextId, course))
    const classId = context?.classId as string
    await membersOnceSynced(classId, 3)

    // A pupil of the roster launches and practises: the same learner the roster made.
    const pupil = await courseLaunch(
      platform.issuer,
      'pupil-2',
      [LEARNER_ROLE],
      { activity: activity.id },
      course,
    )
    expect(pupil.headers.get('location')).toBe(`http://api.test/lti/app/#/activities/${activity.id}`)
    await completeActivity(cookieValue(pupil, 'lti_sid') as string, activity.id, { q1: 2, q2: 'b' })
    expect(await db.select().from(classMembers).where(eq(classMembers.classId, classId))).toHaveLength(3)

    const { result: view, roundTrips } = await countRoundTrips(() =>
      api('/lti/class', { headers: { Cookie: pass } }),
    )
    expect(view.status).toBe(200)
    expect(roundTrips).toBeLessThanOrEqual(2) // the class and its numbers; the approved platforms once a minute
    expect(view.headers.get('content-security-policy')).toContain(
      `frame-ancestors ${new URL(PLATFORM).origin}`,
    )
    const page = await view.text()
    expect(page).toContain('<h1>Year 9 Science</h1>')
    expect(page).toContain('3 learners of this course are in the class.')
    expect(page).toContain('<caption>Tides</caption>')
    expect(page).toMatch(/Started<\/th><td>1</)
    expect(page).toContain(`href="/lti/app/#/skills/${skill.id}"`)

    // The pass opens this page, and nothing else: not a session, not an admin token.
    const value = pass.split('=')[1] as string
    await expectProblem(await send('GET', '/v1/me', { cookie: `sid=${value}` }), 401)
    await expectProblem(
      await api('/v1/admin/classes', { headers: { Authorization: `Bearer ${value}` } }),
      401,
    )
    expect(
      await openPass(['test-session-secret-current-0123456789'], value, Date.now() + 9 * 3_600_000),
    ).toBeNull()
    const none = await api('/lti/class')
    expect(none.status).toBe(403)
    expect(await none.text()).toContain('Open this from your course again')

    // A pupil leaves the course: the next instructor launch syncs the class to the roster again.
    await behave({ roster: [member('pupil-1'), member('teacher-1', [INSTRUCTOR]), member('pupil-4')] })
    await courseLaunch(platform.issuer, 'teacher-1', [INSTRUCTOR], { skill: skill.id }, course)
    await membersOnceSynced(classId, 2)
    // One class per course, whatever the number of launches; the studio lists it as any class.
    const classes = await json<{ items: { id: string; name: string; members: number }[] }>(
      await send('GET', '/v1/admin/classes', { admin: true }),
      200,
    )
    expect(classes.items.filter((c) => c.id === classId)).toEqual([
      expect.objectContaining({ name: 'Year 9 Science', members: 2 }),
    ])
    const [{ count }] = (
      await db.execute<{ count: number }>(
        sql`SELECT count(*)::int AS count FROM lti_contexts WHERE context_id = ${course}`,
      )
    ).rows as [{ count: number }]
    expect(count).toBe(1)
  })

  it('a learner’s launch in a course makes no class', async () => {
    const platform = await registerPlatform()
    const course = `course-${crypto.randomUUID()}`
    const res = await courseLaunch(platform.issuer, 'pupil-9', [LEARNER_ROLE], {}, course)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('http://api.test/lti/app/')
    expect(await testDb().select().from(ltiContexts).where(eq(ltiContexts.contextId, course))).toEqual([])
  })
})
