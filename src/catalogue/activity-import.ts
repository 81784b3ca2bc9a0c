/**
 * A teacher's question bank into a unit, as draft activities: every activity of the import in one
 * batch (one round trip, one transaction), each inserted only if the unit exists and placed after the
 * unit's activities. A dry run reads whether the unit exists and writes nothing.
 */
import { eq, sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { insertWhere } from '../db/insert-where.ts'
import { retryReads } from '../db/retry.ts'
import { activities, units } from '../db/schema.ts'
import type { PlannedActivity } from '../interop/bank.ts'
import { purgeCatalogue } from './edge-cache.ts'

export type CreatedActivity = { id: string; name: string; questionCount: number }

/** The created activities, or null when there is no such unit. */
export async function createImportedActivities(
  db: Db,
  author: string,
  unitId: string,
  planned: PlannedActivity[],
): Promise<CreatedActivity[] | null> {
  const unitExists = sql`EXISTS (SELECT 1 FROM ${units} WHERE ${units.id} = ${unitId})`
  const statements = Object.fromEntries(
    planned.map((activity, i) => [
      `part${i + 1}`,
      insertWhere(
        db,
        activities,
        {
          unitId,
          name: activity.name,
          type: 'practice',
          // Each statement sees the ones before it in the batch: the parts follow one another.
          order: sql`(SELECT coalesce(max(a."order"), -1) + 1 FROM ${activities} a WHERE a.unit_id = ${unitId})`,
          content: activity.content,
          updatedBy: author,
        },
        unitExists,
      ).returning({
        id: activities.id,
        name: activities.name,
        skillId: sql<string>`(SELECT u.skill_id FROM ${units} u WHERE u.id = ${unitId})`,
      }),
    ]),
  )
  const { named } = await batchByName(db, statements)
  const created = planned.flatMap((activity, i) =>
    (named[`part${i + 1}`] ?? []).map((row) => ({
      ...row,
      questionCount: activity.content.questions.length,
    })),
  )
  if (created.length === 0) return null
  await purgeCatalogue({ units: [unitId], skills: created.map((row) => row.skillId) })
  return created.map(({ skillId: _skill, ...activity }) => activity)
}

/** The skill a unit is in, or null when there is no such unit: what a dry run checks. */
export async function unitSkill(db: Db, unitId: string): Promise<string | null> {
  const [unit] = await retryReads(() =>
    db.select({ skillId: units.skillId }).from(units).where(eq(units.id, unitId)),
  )
  return unit?.skillId ?? null
}
