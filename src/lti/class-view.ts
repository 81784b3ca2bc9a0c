/**
 * What an instructor sees after a launch: their course's class, read-only — who joined (through the
 * roster) and, for the skill the link is about, how the class stands on it. The credential is a
 * sealed pass for that class alone (and that skill), good for a working day, in a cookie only
 * /lti/class reads: it is not a session and no /v1 route, admin or learner, takes it.
 */
import { eq, sql } from 'drizzle-orm'
import { skillDashboard, skillRows } from '../analytics/dashboards.ts'
import { skillReport } from '../analytics/report.ts'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { classes, classMembers } from '../db/schema.ts'
import { derivedKeys } from '../session/derived-keys.ts'
import { open, seal } from './sealed.ts'

export const CLASS_VIEW_COOKIE = 'lti_class'
export const CLASS_VIEW_SECONDS = 8 * 60 * 60

export type ClassPass = {
  classId: string
  skillId: string | null
  /** Where the learner page shows what the link names: the instructor may open it as a learner. */
  landing: string
  expiresAt: number
}

const passKeys = (secrets: readonly string[] | undefined) => derivedKeys(secrets, 'lti-class-view')

export async function sealPass(secrets: readonly string[] | undefined, pass: ClassPass) {
  const keys = await passKeys(secrets)
  if (!keys) throw new Error('SESSION_SECRETS is missing')
  return seal(keys, pass)
}

/** The pass, when it is ours and has not expired; otherwise null. */
export async function openPass(
  secrets: readonly string[] | undefined,
  value: string | undefined,
  now = Date.now(),
): Promise<ClassPass | null> {
  const keys = await passKeys(secrets)
  if (!keys || !value) return null
  const pass = (await open(keys, value)) as ClassPass | null
  if (typeof pass?.classId !== 'string' || typeof pass.expiresAt !== 'number') return null
  return pass.expiresAt > now ? pass : null
}

const NO_SKILL = '00000000-0000-0000-0000-000000000000'

/** The class, its size and, when the pass names a skill, the class's dashboard of it: one round trip. */
export async function readClassView(db: Db, pass: ClassPass) {
  const { named } = await retryReads(() =>
    batchByName(db, {
      course: db
        .select({
          name: classes.name,
          members:
            sql<number>`(SELECT count(*) FROM ${classMembers} m WHERE m.class_id = ${classes.id})`.mapWith(
              Number,
            ),
        })
        .from(classes)
        .where(eq(classes.id, pass.classId)),
      ...skillDashboard(db, pass.skillId ?? NO_SKILL, { kind: 'live', classId: pass.classId }),
    }),
  )
  const [course] = named.course
  if (!course) return null
  const [skill] = named.skill
  return {
    ...course,
    skill: skill ? { name: skill.name, ...skillReport(skillRows(named.bands.rows)) } : null,
  }
}
