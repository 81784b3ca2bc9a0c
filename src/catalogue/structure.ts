/**
 * What authors do to a catalogue's shape: see what deleting something would take with it, and put a
 * skill's units and their activities in a new order in one atomic request.
 */
import { sql } from 'drizzle-orm'
import { AssertionFailed, asserting, batchAssert } from '../db/assert.ts'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { activities, attempts, skillPrerequisites, skillStates, skills, units } from '../db/schema.ts'
import { purgeCatalogue } from './edge-cache.ts'

export type CascadeKind = 'skill' | 'unit' | 'activity'

/**
 * What a delete of this skill, unit or activity cascades to, counted in one statement: a skill takes
 * its units, their activities, the attempts on them, the learners' states on the skill and the
 * prerequisite edges naming it; a unit its activities and their attempts (skill states stay, and
 * read the skill's remaining units); an activity its attempts.
 */
function cascadeCounts(db: Db, kind: CascadeKind, id: string) {
  const activityIds = {
    skill: sql`SELECT a.id FROM ${activities} a JOIN ${units} u ON u.id = a.unit_id WHERE u.skill_id = ${id}::uuid`,
    unit: sql`SELECT a.id FROM ${activities} a WHERE a.unit_id = ${id}::uuid`,
    activity: sql`SELECT ${id}::uuid AS id`,
  }[kind]
  const exists = { skill: skills, unit: units, activity: activities }[kind]
  const zero = sql`0`
  return db.execute<{
    found: boolean
    units: string
    activities: string
    attempts: string
    learners: string
    skill_states: string
    prerequisites: string
  }>(sql`
    WITH doomed AS (${activityIds})
    SELECT
      EXISTS (SELECT 1 FROM ${exists} WHERE id = ${id}::uuid) AS found,
      ${kind === 'skill' ? sql`(SELECT count(*) FROM ${units} WHERE skill_id = ${id}::uuid)` : zero} AS units,
      ${kind === 'activity' ? zero : sql`(SELECT count(*) FROM doomed)`} AS activities,
      (SELECT count(*) FROM ${attempts} WHERE activity_id IN (SELECT doomed.id FROM doomed)) AS attempts,
      (SELECT count(DISTINCT learner_id) FROM ${attempts} WHERE activity_id IN (SELECT doomed.id FROM doomed)) AS learners,
      ${kind === 'skill' ? sql`(SELECT count(*) FROM ${skillStates} WHERE skill_id = ${id}::uuid)` : zero} AS skill_states,
      ${
        kind === 'skill'
          ? sql`(SELECT count(*) FROM ${skillPrerequisites} WHERE skill_id = ${id}::uuid OR required_skill_id = ${id}::uuid)`
          : zero
      } AS prerequisites`)
}

/** What deleting this skill, unit or activity would take with it (one round trip); null when it does not exist. */
export async function countCascade(db: Db, kind: CascadeKind, targetId: string) {
  const { rows } = await retryReads(() => cascadeCounts(db, kind, targetId))
  const [row] = rows
  if (!row?.found) return null
  return {
    units: Number(row.units),
    activities: Number(row.activities),
    attempts: Number(row.attempts),
    learners: Number(row.learners),
    skillStates: Number(row.skill_states),
    prerequisites: Number(row.prerequisites),
  }
}

export type UnitOrder = { id: string; activities: string[] }

/**
 * One batch: assert that the request lists exactly the skill's units, each with exactly its
 * activities (someone else's edit in between is `incomplete`, not a half-applied order), then
 * number units and activities by their position, and purge the cached reads that showed the old one.
 */
export async function reorderSkill(db: Db, skillId: string, order: UnitOrder[], author: string) {
  const unitRows = order.map((unit, position) => ({ id: unit.id, position }))
  const activityRows = order.flatMap((unit) =>
    unit.activities.map((id, position) => ({ id, unitId: unit.id, position })),
  )
  const listed = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`
  const found = sql`EXISTS (SELECT 1 FROM ${skills} WHERE id = ${skillId}::uuid)`
  const send = () =>
    batchByName(db, {
      // An unknown skill passes (it is answered from the last statement); the updates below only
      // touch the skill's own rows either way.
      listsEverything: batchAssert(
        db,
        sql`NOT ${found} OR (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM ${units} WHERE skill_id = ${skillId}::uuid)
        = (SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}') FROM jsonb_to_recordset(${listed(unitRows)}) AS x(id uuid))
      AND (SELECT coalesce(array_agg(a.unit_id || '/' || a.id ORDER BY a.id), '{}') FROM ${activities} a
          JOIN ${units} u ON u.id = a.unit_id WHERE u.skill_id = ${skillId}::uuid)
        = (SELECT coalesce(array_agg(x."unitId" || '/' || x.id ORDER BY x.id), '{}')
          FROM jsonb_to_recordset(${listed(activityRows)}) AS x(id uuid, "unitId" uuid))`,
        'order_lists_everything',
      ),
      units: db.execute(sql`
      UPDATE ${units} u SET "order" = x.position, updated_by = ${author}
      FROM jsonb_to_recordset(${listed(unitRows)}) AS x(id uuid, position int)
      WHERE u.id = x.id AND u.skill_id = ${skillId}::uuid AND u."order" IS DISTINCT FROM x.position`),
      activities: db.execute(sql`
      UPDATE ${activities} a SET "order" = x.position, updated_by = ${author}
      FROM jsonb_to_recordset(${listed(activityRows)}) AS x(id uuid, position int)
      WHERE a.id = x.id AND a."order" IS DISTINCT FROM x.position
        AND a.unit_id IN (SELECT id FROM ${units} WHERE skill_id = ${skillId}::uuid)`),
      skill: db.execute<{ found: boolean }>(sql`SELECT ${found} AS found`),
    })
  try {
    const { named } = await asserting(send)
    const [skill] = named.skill.rows
    if (!skill?.found) return 'no_skill'
  } catch (error) {
    if (error instanceof AssertionFailed && error.assertion === 'order_lists_everything') return 'incomplete'
    throw error
  }
  await purgeCatalogue({ skills: [skillId], units: order.map((u) => u.id) })
  return 'reordered'
}
