/**
 * The classes a learner joined: join with a code, list, leave. The list is one read through
 * `readLearner`; joining and leaving are learner writes (progress/write/learner-write.ts), one round trip
 * each, with an optional Idempotency-Key.
 */
import { and, asc, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { classes, classMembers } from '../db/schema.ts'
import type { IdempotencyRequest } from '../progress/write/idempotency.ts'
import { learnerWrite, removeOwn } from '../progress/write/learner-write.ts'
import { readLearner } from '../session/learner.ts'
import type { LearnerScope } from '../types.ts'

export type MyClass = { id: string; name: string; joinedAt: Date }

const myClass = { id: classes.id, name: classes.name, joinedAt: classMembers.joinedAt }

/** The learner's membership of the class with `code`, as a list of at most one. */
const membership = (db: Db, learnerId: SQL, code: string, returning: Record<string, SQL> = {}) =>
  db
    .select({ ...myClass, ...returning })
    .from(classes)
    .innerJoin(classMembers, and(eq(classMembers.classId, classes.id), eq(classMembers.learnerId, learnerId)))
    .where(eq(classes.joinCode, code))

/** The same membership as SQL, for what a replay answers: 201 when this transaction made it. */
const membershipSql = (learnerId: SQL, code: string, value: SQL) => sql`(
  SELECT ${value} FROM ${classMembers} JOIN ${classes} ON ${classes.id} = ${classMembers.classId}
  WHERE ${classes.joinCode} = ${code} AND ${classMembers.learnerId} = ${learnerId})`

/**
 * Joins the class with `code` (normalised): the class, and whether this request made the
 * membership (201) or found it (200); null when no class has the code.
 */
export async function joinClass(
  scope: LearnerScope,
  code: string,
  idempotency: IdempotencyRequest | null,
): Promise<{ joined: MyClass; created: boolean; replayed: boolean } | null> {
  const written = await learnerWrite(
    scope,
    idempotency,
    ({ db, learnerId, done }) => ({
      inserted: db.execute(sql`
        INSERT INTO ${classMembers} (class_id, learner_id)
        SELECT id, ${learnerId} FROM ${classes} WHERE join_code = ${code}
        ON CONFLICT DO NOTHING RETURNING class_id`),
      // After the insert, in the same transaction: it sees a membership just made.
      member: membership(db, learnerId, code, { done }),
    }),
    ({ learnerId }) => ({
      resource: '/v1/me/classes',
      // A membership made by this transaction was joined at its now().
      status: membershipSql(
        learnerId,
        code,
        sql`CASE WHEN ${classMembers.joinedAt} = now() THEN 201 ELSE 200 END`,
      ),
      snapshot: membershipSql(
        learnerId,
        code,
        sql`jsonb_build_object('id', ${classes.id}, 'name', ${classes.name}, 'joinedAt', ${classMembers.joinedAt})`,
      ),
    }),
  )
  if (written.replay) {
    const { id, name, joinedAt } = written.replay.snapshot as { id: string; name: string; joinedAt: string }
    const joined = { id, name, joinedAt: new Date(joinedAt) }
    return { joined, created: written.replay.status === 201, replayed: true }
  }
  const [member] = written.results.member
  if (!member) return null
  const { id, name, joinedAt } = member
  return {
    joined: { id, name, joinedAt },
    created: written.results.inserted.rows.length > 0,
    replayed: false,
  }
}

/** The classes this learner joined, by name. */
export async function myClasses(scope: LearnerScope): Promise<MyClass[]> {
  const { joined } = await readLearner(scope, (db, learnerId) => ({
    joined: db
      .select(myClass)
      .from(classMembers)
      .innerJoin(classes, eq(classes.id, classMembers.classId))
      .where(eq(classMembers.learnerId, learnerId))
      .orderBy(asc(classes.name), asc(classes.id)),
  }))
  return joined
}

/** Leaves a class: false when the learner is not in it. */
export async function leaveClass(
  scope: LearnerScope,
  classId: string,
  idempotency: IdempotencyRequest | null,
): Promise<{ found: boolean; replayed: boolean }> {
  const { found, replayed } = await removeOwn(
    scope,
    idempotency,
    '/v1/me/classes',
    ({ db, learnerId, done }) =>
      db
        .delete(classMembers)
        .where(and(eq(classMembers.classId, classId), eq(classMembers.learnerId, learnerId)))
        .returning({ done }),
  )
  return { found, replayed }
}
