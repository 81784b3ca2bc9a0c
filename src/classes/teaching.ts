/** Teachers' classes: create one with a fresh join code, list them with how many joined, delete one. */
import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { classes, classMembers } from '../db/schema.ts'
import { newJoinCode } from './join-code.ts'

export type TaughtClass = typeof classes.$inferSelect & { members: number }

const members =
  sql<number>`(SELECT count(*) FROM ${classMembers} m WHERE m.class_id = ${classes}.id)`.mapWith(Number)

export async function createClass(db: Db, author: string, name: string): Promise<TaughtClass> {
  const [made] = await db
    .insert(classes)
    .values({ name, joinCode: newJoinCode(), createdBy: author })
    .returning()
  if (!made) throw new Error('the class insert returned no row')
  return { ...made, members: 0 }
}

/** Every class by name, with how many learners joined it. */
export async function listClasses(db: Db): Promise<TaughtClass[]> {
  const rows = await retryReads(() =>
    db.select({ row: classes, members }).from(classes).orderBy(asc(classes.name), asc(classes.id)),
  )
  return rows.map(({ row, members: count }) => ({ ...row, members: count }))
}

/** Deletes a class (its learners keep their progress): false when there was none. */
export async function deleteClass(db: Db, classId: string) {
  const gone = await db.delete(classes).where(eq(classes.id, classId)).returning({ id: classes.id })
  return gone.length > 0
}
