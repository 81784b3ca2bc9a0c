/**
 * What authors do to a catalogue's shape: see what deleting something would take with it, and put a
 * skill's units and their activities in a new order in one atomic request.
 */
import { sql } from 'drizzle-orm'
import { batchAssert } from '../db/assert.ts'
import type { Db } from '../db/client.ts'
import { activities, attempts, skillPrerequisites, skillStates, skills, units } from '../db/schema.ts'

export type CascadeKind = 'skill' | 'unit' | 'activity'

/**
 * What a delete of this skill, unit or activity cascades to, counted in one statement: a skill takes
 * its units, their activities, the attempts on them, the learners' states on the skill and the
 * prerequisite edges naming it; a unit its activities and their attempts (skill states stay, and
 * read the skill's remaining units); an activity its attempts.
 */
export function cascadeCounts(db: Db, kind: CascadeKind, id: string) {
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

export type UnitOrder = { id: string; activities: string[] }

/**
 * One batch: assert that the request lists exactly the skill's units, each with exactly its
 * activities (someone else's edit in between is a 409, not a half-applied order), then number units
 * and activities by their position.
 */
export function reorderBatch(db: Db, skillId: string, order: UnitOrder[], author: string) {
  const unitRows = order.map((unit, position) => ({ id: unit.id, position }))
  const activityRows = order.flatMap((unit) =>
    unit.activities.map((id, position) => ({ id, unitId: unit.id, position })),
  )
  const listed = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`
  const found = sql`EXISTS (SELECT 1 FROM ${skills} WHERE id = ${skillId}::uuid)`
  return db.batch([
    // An unknown skill passes (the caller answers 404 from the last statement); the updates below
    // only touch the skill's own rows either way.
    batchAssert(
      db,
      sql`NOT ${found} OR (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM ${units} WHERE skill_id = ${skillId}::uuid)
        = (SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}') FROM jsonb_to_recordset(${listed(unitRows)}) AS x(id uuid))
      AND (SELECT coalesce(array_agg(a.unit_id || '/' || a.id ORDER BY a.id), '{}') FROM ${activities} a
          JOIN ${units} u ON u.id = a.unit_id WHERE u.skill_id = ${skillId}::uuid)
        = (SELECT coalesce(array_agg(x."unitId" || '/' || x.id ORDER BY x.id), '{}')
          FROM jsonb_to_recordset(${listed(activityRows)}) AS x(id uuid, "unitId" uuid))`,
      'order_lists_everything',
    ),
    db.execute(sql`
      UPDATE ${units} u SET "order" = x.position, updated_by = ${author}
      FROM jsonb_to_recordset(${listed(unitRows)}) AS x(id uuid, position int)
      WHERE u.id = x.id AND u.skill_id = ${skillId}::uuid AND u."order" IS DISTINCT FROM x.position`),
    db.execute(sql`
      UPDATE ${activities} a SET "order" = x.position, updated_by = ${author}
      FROM jsonb_to_recordset(${listed(activityRows)}) AS x(id uuid, position int)
      WHERE a.id = x.id AND a."order" IS DISTINCT FROM x.position
        AND a.unit_id IN (SELECT id FROM ${units} WHERE skill_id = ${skillId}::uuid)`),
    db.execute<{ found: boolean }>(sql`SELECT ${found} AS found`),
  ])
}
