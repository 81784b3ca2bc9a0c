/**
 * Authors' reads and writes of activities, answer keys included: each one statement (one round
 * trip); writes then purge the cached catalogue reads they made stale. A missing activity is null.
 */
import { eq, getTableColumns, sql } from 'drizzle-orm'
import type * as z from 'zod'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { type Activity, activities, units } from '../db/schema.ts'
import type { CreateActivitySchema, UpdateActivitySchema } from '../schemas/admin.ts'
import { purgeCatalogue } from './edge-cache.ts'
import { publishedAtOnCreate, publishedAtOnUpdate } from './publication.ts'

/** The skill of the current `activities` row, whose cached tree a write makes stale. */
const skillId = sql<string>`(SELECT u.skill_id FROM ${units} u WHERE u.id = ${activities}.unit_id)`

export async function createActivity(db: Db, author: string, input: z.infer<typeof CreateActivitySchema>) {
  const { status, ...fields } = input
  const [created] = await db
    .insert(activities)
    .values({ ...fields, publishedAt: publishedAtOnCreate(status), updatedBy: author })
    .returning({ ...getTableColumns(activities), skillId })
  if (!created) throw new Error('the activity insert returned no row')
  const { skillId: parentSkillId, ...activity } = created
  await purgeCatalogue({ units: [activity.unitId], skills: [parentSkillId] })
  return activity
}

export async function activityForAuthors(db: Db, activityId: string): Promise<Activity | null> {
  const [activity] = await retryReads(() => db.select().from(activities).where(eq(activities.id, activityId)))
  return activity ?? null
}

/**
 * Updates or moves an activity. RETURNING reads its skill and the unit and skill it was in before:
 * a statement does not see its own changes, so these subqueries read the row as it was. (Drizzle
 * leaves a column of the returned table unqualified inside RETURNING, hence `${activities}.id`.)
 */
export async function updateActivity(
  db: Db,
  author: string,
  activityId: string,
  input: z.infer<typeof UpdateActivitySchema>,
): Promise<Activity | null> {
  const { status, ...fields } = input
  const [updated] = await db
    .update(activities)
    .set({ ...fields, publishedAt: publishedAtOnUpdate(status, activities.publishedAt), updatedBy: author })
    .where(eq(activities.id, activityId))
    .returning({
      ...getTableColumns(activities),
      skillId,
      previousUnitId: sql<string>`(SELECT a.unit_id FROM ${activities} a WHERE a.id = ${activities}.id)`,
      previousSkillId: sql<string>`(SELECT u.skill_id FROM ${activities} a JOIN ${units} u ON u.id = a.unit_id
        WHERE a.id = ${activities}.id)`,
    })
  if (!updated) return null
  const { skillId: parentSkillId, previousUnitId, previousSkillId, ...activity } = updated
  await purgeCatalogue({
    activities: [activity.id],
    units: [activity.unitId, previousUnitId],
    skills: [parentSkillId, previousSkillId],
  })
  return activity
}

/** Deletes an activity and its attempts: false when there was none. */
export async function deleteActivity(db: Db, activityId: string) {
  const [gone] = await db
    .delete(activities)
    .where(eq(activities.id, activityId))
    .returning({ id: activities.id, unitId: activities.unitId, skillId })
  if (!gone) return false
  await purgeCatalogue({ activities: [gone.id], units: [gone.unitId], skills: [gone.skillId] })
  return true
}
