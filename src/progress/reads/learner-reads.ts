/**
 * What a learner reads of their own progress beyond skills (learner-skills.ts, up-next.ts,
 * due-reviews.ts): their attempts, page by page or one at a time, and everything stored about them
 * for the export. Each is one round trip through `readLearner`.
 */
import { and, asc, desc, eq, getTableColumns, lt, or, sql } from 'drizzle-orm'
import { activityContent } from '../../content/schema.ts'
import {
  type Attempt,
  activityVersions,
  attempts,
  classes,
  classMembers,
  passkeys,
  sessions,
  skillStates,
  skills,
} from '../../db/schema.ts'
import { cursorTimestampOf } from '../../schemas/common.ts'
import { readLearner } from '../../session/learner.ts'
import type { LearnerScope } from '../../types.ts'
import { ownAttempt, skillUnitIds, versionOf } from '../queries.ts'

export type AttemptFilter = {
  activityId?: string
  status?: Attempt['status']
  limit: number
  /** Where the previous page stopped: its last (startedAt as the cursor keeps it, id). */
  after?: readonly [string, string]
}

/**
 * A page of the learner's attempts, newest first by (started_at, id), and where the next starts
 * (null on the last page); the cursor's timestamp keeps microseconds.
 */
export async function attemptPage(scope: LearnerScope, { activityId, status, limit, after }: AttemptFilter) {
  const startedAtKey = cursorTimestampOf(attempts.startedAt)
  const { rows } = await readLearner(scope, (db, learnerId) => ({
    rows: db
      .select({ attempt: attempts, key: startedAtKey })
      .from(attempts)
      .where(
        and(
          eq(attempts.learnerId, learnerId),
          activityId ? eq(attempts.activityId, activityId.toLowerCase()) : undefined,
          status ? eq(attempts.status, status) : undefined,
          after &&
            or(
              lt(attempts.startedAt, sql`${after[0]}::timestamptz`),
              and(eq(attempts.startedAt, sql`${after[0]}::timestamptz`), lt(attempts.id, after[1])),
            ),
        ),
      )
      .orderBy(desc(attempts.startedAt), desc(attempts.id))
      .limit(limit + 1),
  }))
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  const next = rows.length > limit && last ? ([last.key, last.attempt.id] as const) : null
  return { attempts: items.map((row) => row.attempt), next }
}

/** One of the learner's attempts with the content it was graded against; null when not theirs. */
export async function attemptOf(scope: LearnerScope, attemptId: string) {
  const { found } = await readLearner(scope, (db, learnerId) => ({
    found: db
      .select({ attempt: attempts, content: activityVersions.content })
      .from(attempts)
      .innerJoin(activityVersions, versionOf(attempts))
      .where(ownAttempt(learnerId, attemptId)),
  }))
  const [row] = found
  return row ? { attempt: row.attempt, content: activityContent.parse(row.content) } : null
}

/** Everything stored about the learner, each part in the order it was made. */
export async function learnerData(scope: LearnerScope) {
  const { hash } = scope.session
  return readLearner(scope, (db, learnerId) => ({
    devices: db
      .select({ ...getTableColumns(sessions), current: sql<boolean>`${sessions.tokenHash} = ${hash}` })
      .from(sessions)
      .where(eq(sessions.learnerId, learnerId))
      .orderBy(asc(sessions.createdAt), asc(sessions.id)),
    passkeys: db
      .select()
      .from(passkeys)
      .where(eq(passkeys.learnerId, learnerId))
      .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
    attempts: db
      .select()
      .from(attempts)
      .where(eq(attempts.learnerId, learnerId))
      .orderBy(asc(attempts.startedAt), asc(attempts.id)),
    skillStates: db
      .select({ state: skillStates, metadata: skills.metadata, unitIds: skillUnitIds(skills.id) })
      .from(skillStates)
      .innerJoin(skills, eq(skills.id, skillStates.skillId))
      .where(eq(skillStates.learnerId, learnerId))
      .orderBy(asc(skillStates.createdAt), asc(skillStates.id)),
    classes: db
      .select({ id: classes.id, name: classes.name, joinedAt: classMembers.joinedAt })
      .from(classMembers)
      .innerJoin(classes, eq(classes.id, classMembers.classId))
      .where(eq(classMembers.learnerId, learnerId))
      .orderBy(asc(classMembers.joinedAt), asc(classes.id)),
  }))
}
