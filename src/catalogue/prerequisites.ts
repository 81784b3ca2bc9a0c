/**
 * Prerequisite edges between skills: "skill requires required skill". The graph must stay acyclic,
 * and that is decided by the database in the batch that adds an edge. Under READ COMMITTED two
 * concurrent inserts (A requires B, B requires A) would each miss the other's uncommitted row, so the
 * batch first takes a transaction-level advisory lock that every prerequisite edit shares, then
 * inserts only if no path leads back from the required skill to the skill. A skill requiring itself
 * is refused the same way (and by a CHECK, drizzle/0009).
 */
import { and, asc, eq, type SQLWrapper, sql } from 'drizzle-orm'
import { AssertionFailed, asserting, batchAssert, marker } from '../db/assert.ts'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { skillPrerequisites, skills } from '../db/schema.ts'

/**
 * The one lock every prerequisite edit takes, a catalogue import included (pg_advisory_xact_lock:
 * released at commit), as a statement of the edit's batch.
 */
export const lockPrerequisiteEdits = (db: Db) =>
  db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('skill_prerequisites'))`)

/** Whether `requiredSkillId` already requires `skillId`, directly or through other skills. */
const pathBack = (skillId: string, requiredSkillId: string) => sql`EXISTS (
  WITH RECURSIVE reach(id) AS (
    SELECT required_skill_id FROM ${skillPrerequisites} WHERE skill_id = ${requiredSkillId}::uuid
    UNION
    SELECT p.required_skill_id FROM ${skillPrerequisites} p JOIN reach ON p.skill_id = reach.id
  )
  SELECT 1 FROM reach WHERE id = ${skillId}::uuid)`

const exists = (id: string) => sql`EXISTS (SELECT 1 FROM ${skills} WHERE id = ${id}::uuid)`

/**
 * A skill's published prerequisites (learners never see drafts) as a JSON array of `{ id, name,
 * level }`, by level then name, for statements that select from skills (`skillId` is the outer row's
 * id, qualified: Drizzle leaves a selected table's own columns unqualified, and here `id` would name
 * the prerequisite's).
 */
export const prerequisitesJson = (skillId: SQLWrapper) =>
  sql<SkillRef[]>`(SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name, 'level', r.level)
      ORDER BY r.level, r.name, r.id), '[]'::jsonb)
    FROM ${skillPrerequisites} p JOIN ${skills} r ON r.id = p.required_skill_id
    WHERE p.skill_id = ${skillId} AND r.published_at IS NOT NULL)`.mapWith(
    (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as SkillRef[],
  )

export type SkillRef = { id: string; name: string; level: number }

/** A skill's prerequisites, by level then name: what catalogue reads and admin writes show. */
function prerequisitesOf(db: Db, skillId: string) {
  return db
    .select({ id: skills.id, name: skills.name, level: skills.level })
    .from(skillPrerequisites)
    .innerJoin(skills, eq(skills.id, skillPrerequisites.requiredSkillId))
    .where(eq(skillPrerequisites.skillId, skillId))
    .orderBy(asc(skills.level), asc(skills.name), asc(skills.id))
}

/**
 * One batch (one round trip, one transaction): lock, insert unless a cycle would close, assert that
 * the edge now exists unless one of the skills does not, read what the answer needs. A cycle rolls
 * the batch back (`prerequisite_acyclic`) and is an outcome, like a missing skill.
 */
export async function addPrerequisite(db: Db, skillId: string, requiredSkillId: string) {
  const inserted = marker('prerequisite_added')
  const send = () =>
    batchByName(db, {
      lock: lockPrerequisiteEdits(db),
      insert: db.execute(sql`
      INSERT INTO ${skillPrerequisites} (skill_id, required_skill_id)
      SELECT ${skillId}::uuid, ${requiredSkillId}::uuid
      WHERE ${skillId}::uuid <> ${requiredSkillId}::uuid AND ${exists(skillId)} AND ${exists(requiredSkillId)}
        AND NOT ${pathBack(skillId, requiredSkillId)}
      ON CONFLICT DO NOTHING
      RETURNING ${inserted.set}`),
      acyclic: batchAssert(
        db,
        sql`${inserted.isSet} OR NOT (${exists(skillId)} AND ${exists(requiredSkillId)})
        OR EXISTS (SELECT 1 FROM ${skillPrerequisites} WHERE skill_id = ${skillId}::uuid AND required_skill_id = ${requiredSkillId}::uuid)`,
        'prerequisite_acyclic',
      ),
      exists: db
        .select({
          skill: sql<boolean>`${exists(skillId)}`,
          required: sql<boolean>`${exists(requiredSkillId)}`,
        })
        .from(sql`(SELECT 1) AS one`),
      prerequisites: prerequisitesOf(db, skillId),
    })
  try {
    const { named } = await asserting(send)
    const [found] = named.exists
    if (!found?.skill) return { outcome: 'no_skill' } as const
    if (!found.required) return { outcome: 'no_required_skill' } as const
    return { outcome: 'added', prerequisites: named.prerequisites } as const
  } catch (error) {
    if (error instanceof AssertionFailed && error.assertion === 'prerequisite_acyclic') {
      return { outcome: 'cycle' } as const
    }
    throw error
  }
}

/** Removes one edge, false when there was none (taking the same lock, so an add never reads a half-removed path). */
export async function removePrerequisite(db: Db, skillId: string, requiredSkillId: string) {
  const { named } = await batchByName(db, {
    lock: lockPrerequisiteEdits(db),
    removed: db
      .delete(skillPrerequisites)
      .where(
        and(eq(skillPrerequisites.skillId, skillId), eq(skillPrerequisites.requiredSkillId, requiredSkillId)),
      )
      .returning({ skillId: skillPrerequisites.skillId }),
  })
  return named.removed.length > 0
}
