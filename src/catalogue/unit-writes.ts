/**
 * Authors' writes of units: each one statement with RETURNING (one round trip), then the purge of
 * the cached catalogue reads it made stale. A missing unit is null.
 */
import { eq, getTableColumns, sql } from 'drizzle-orm'
import type * as z from 'zod'
import type { Db } from '../db/client.ts'
import { activities, type Unit, units } from '../db/schema.ts'
import type { CreateUnitSchema, UpdateUnitSchema } from '../schemas/admin.ts'
import { purgeCatalogue } from './edge-cache.ts'

export async function createUnit(db: Db, author: string, input: z.infer<typeof CreateUnitSchema>) {
  const [unit] = await db
    .insert(units)
    .values({ ...input, updatedBy: author })
    .returning()
  if (!unit) throw new Error('the unit insert returned no row')
  await purgeCatalogue({ skills: [unit.skillId] })
  return unit
}

/**
 * Updates or moves a unit. RETURNING reads the skill it was in before: a statement does not see its
 * own changes, so its subquery reads the row as it was. (Drizzle leaves a column of the returned
 * table unqualified inside RETURNING, hence `${units}.id`.)
 */
export async function updateUnit(
  db: Db,
  author: string,
  unitId: string,
  input: z.infer<typeof UpdateUnitSchema>,
): Promise<Unit | null> {
  const [updated] = await db
    .update(units)
    .set({ ...input, updatedBy: author })
    .where(eq(units.id, unitId))
    .returning({
      ...getTableColumns(units),
      previousSkillId: sql<string>`(SELECT u.skill_id FROM ${units} u WHERE u.id = ${units}.id)`,
    })
  if (!updated) return null
  const { previousSkillId, ...unit } = updated
  await purgeCatalogue({ units: [unit.id], skills: [unit.skillId, previousSkillId] })
  return unit
}

/** Deletes a unit with its activities (and their attempts): false when there was none. */
export async function deleteUnit(db: Db, unitId: string) {
  const [gone] = await db
    .delete(units)
    .where(eq(units.id, unitId))
    .returning({
      id: units.id,
      skillId: units.skillId,
      // The cascaded activities, still visible to the statement's own snapshot.
      activityIds: sql<
        string[]
      >`(SELECT coalesce(json_agg(a.id), '[]') FROM ${activities} a WHERE a.unit_id = ${units}.id)`,
    })
  if (!gone) return false
  await purgeCatalogue({ units: [gone.id], skills: [gone.skillId], activities: gone.activityIds })
  return true
}
