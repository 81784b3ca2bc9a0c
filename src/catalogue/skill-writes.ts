/**
 * Authors' writes of skills: each one statement with RETURNING (one round trip), then the purge of
 * the cached catalogue reads it made stale. A missing skill is null.
 */
import { eq, getTableColumns, sql } from 'drizzle-orm'
import type * as z from 'zod'
import type { Db } from '../db/client.ts'
import { activities, type Skill, skills, units } from '../db/schema.ts'
import type { CreateSkillSchema, UpdateSkillSchema } from '../schemas/admin.ts'
import { purgeCatalogue } from './edge-cache.ts'
import { publishedAtOnCreate, publishedAtOnUpdate } from './publication.ts'

/**
 * The ids under a skill, whose cached reads a delete or a (un)publication makes stale. RETURNING's
 * subqueries read the statement's snapshot, in which the cascaded rows still exist. (Drizzle leaves
 * a column of the returned table unqualified inside RETURNING, hence `${skills}.id`.)
 */
const underSkill = {
  unitIds: sql<
    string[]
  >`(SELECT coalesce(json_agg(u.id), '[]') FROM ${units} u WHERE u.skill_id = ${skills}.id)`,
  activityIds: sql<string[]>`(SELECT coalesce(json_agg(a.id), '[]') FROM ${activities} a
    JOIN ${units} u ON u.id = a.unit_id WHERE u.skill_id = ${skills}.id)`,
}

export async function createSkill(db: Db, author: string, input: z.infer<typeof CreateSkillSchema>) {
  const { status, ...fields } = input
  const [skill] = await db
    .insert(skills)
    .values({ ...fields, publishedAt: publishedAtOnCreate(status), updatedBy: author })
    .returning()
  if (!skill) throw new Error('the skill insert returned no row')
  await purgeCatalogue({ skillList: true })
  return skill
}

export async function updateSkill(
  db: Db,
  author: string,
  skillId: string,
  input: z.infer<typeof UpdateSkillSchema>,
): Promise<Skill | null> {
  const { status, ...fields } = input
  const [updated] = await db
    .update(skills)
    .set({ ...fields, publishedAt: publishedAtOnUpdate(status, skills.publishedAt), updatedBy: author })
    .where(eq(skills.id, skillId))
    .returning({ ...getTableColumns(skills), ...underSkill })
  if (!updated) return null
  const { unitIds, activityIds, ...skill } = updated
  // Publishing or unpublishing a skill shows or hides its units and activities too.
  await purgeCatalogue({
    skillList: true,
    skills: [skill.id],
    ...(status && { units: unitIds, activities: activityIds }),
  })
  return skill
}

/** Deletes a skill with its units, activities and all progress on them: false when there was none. */
export async function deleteSkill(db: Db, skillId: string) {
  const [gone] = await db
    .delete(skills)
    .where(eq(skills.id, skillId))
    .returning({ id: skills.id, ...underSkill })
  if (!gone) return false
  await purgeCatalogue({
    skillList: true,
    skills: [gone.id],
    units: gone.unitIds,
    activities: gone.activityIds,
  })
  return true
}
