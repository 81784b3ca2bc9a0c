/**
 * Moving a catalogue between deployments: the whole catalogue as one document (export), and a
 * document applied all or nothing (import). Reading costs one round trip (a batch of four selects);
 * an import reads, compares, then writes everything in one batch — one transaction: upserts that
 * leave unchanged rows untouched, prerequisites replaced per skill, and with `prune` the deletion of
 * what the document does not have.
 */
import { and, asc, eq, type SQLWrapper, sql } from 'drizzle-orm'
import { activityContent } from '../content/schema.ts'
import type { Db } from '../db/client.ts'
import {
  type Activity,
  activities,
  attempts,
  type Skill,
  skillPrerequisites,
  skillStates,
  skills,
  type Unit,
  units,
} from '../db/schema.ts'
import { CATALOGUE_FORMAT, type CatalogueDocument } from '../schemas/catalogue-document.ts'
import { lockPrerequisiteEdits } from './prerequisites.ts'
import { statusOf } from './publication.ts'

/** The four reads of a whole catalogue, for one batch. */
export const catalogueReads = (db: Db) => ({
  skills: db
    .select({
      id: skills.id,
      name: skills.name,
      description: skills.description,
      level: skills.level,
      metadata: skills.metadata,
      publishedAt: skills.publishedAt,
    })
    .from(skills)
    .orderBy(asc(skills.name), asc(skills.id)),
  units: db
    .select({
      id: units.id,
      skillId: units.skillId,
      name: units.name,
      description: units.description,
      order: units.order,
      metadata: units.metadata,
    })
    .from(units)
    .orderBy(asc(units.order), asc(units.id)),
  activities: db
    .select({
      id: activities.id,
      unitId: activities.unitId,
      name: activities.name,
      description: activities.description,
      type: activities.type,
      order: activities.order,
      metadata: activities.metadata,
      content: activities.content,
      publishedAt: activities.publishedAt,
    })
    .from(activities)
    .orderBy(asc(activities.order), asc(activities.id)),
  edges: db
    .select({ skillId: skillPrerequisites.skillId, requiredSkillId: skillPrerequisites.requiredSkillId })
    .from(skillPrerequisites)
    .orderBy(asc(skillPrerequisites.requiredSkillId)),
})

type Rows = {
  skills: Pick<Skill, 'id' | 'name' | 'description' | 'level' | 'metadata' | 'publishedAt'>[]
  units: Pick<Unit, 'id' | 'skillId' | 'name' | 'description' | 'order' | 'metadata'>[]
  activities: Pick<
    Activity,
    'id' | 'unitId' | 'name' | 'description' | 'type' | 'order' | 'metadata' | 'content' | 'publishedAt'
  >[]
  edges: { skillId: string; requiredSkillId: string }[]
}

/** The rows of `catalogueReads` as a document, in a fixed order (skills by name, the rest by order). */
export function toDocument({
  skills: skillRows,
  units: unitRows,
  activities: activityRows,
  edges,
}: Rows): CatalogueDocument {
  const activitiesOf = Map.groupBy(activityRows, (a) => a.unitId)
  const unitsOf = Map.groupBy(unitRows, (u) => u.skillId)
  const requiredBy = Map.groupBy(edges, (e) => e.skillId)
  return {
    format: CATALOGUE_FORMAT,
    version: 1,
    skills: skillRows.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      level: s.level,
      metadata: s.metadata,
      status: statusOf(s),
      prerequisites: (requiredBy.get(s.id) ?? []).map((e) => e.requiredSkillId),
      units: (unitsOf.get(s.id) ?? []).map((u) => ({
        id: u.id,
        name: u.name,
        description: u.description,
        order: u.order,
        metadata: u.metadata,
        activities: (activitiesOf.get(u.id) ?? []).map((a) => ({
          id: a.id,
          name: a.name,
          description: a.description,
          type: a.type,
          order: a.order,
          metadata: a.metadata,
          content: activityContent.parse(a.content),
          status: statusOf(a),
        })),
      })),
    })),
  }
}

/** JSON with object keys sorted: what "unchanged" compares (jsonb does not keep key order). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )

type Flat = {
  skills: Map<string, string>
  units: Map<string, string>
  activities: Map<string, string>
  edges: Set<string>
}

/** Every item of a document by id, as the canonical JSON of what an import writes (parents included). */
function flatten(document: CatalogueDocument): Flat {
  const flat: Flat = { skills: new Map(), units: new Map(), activities: new Map(), edges: new Set() }
  for (const { units: skillUnits, prerequisites, ...s } of document.skills) {
    flat.skills.set(s.id, canonical(s))
    for (const required of prerequisites) flat.edges.add(`${s.id}>${required}`)
    for (const { activities: unitActivities, ...u } of skillUnits) {
      flat.units.set(u.id, canonical({ ...u, skillId: s.id }))
      for (const a of unitActivities) flat.activities.set(a.id, canonical({ ...a, unitId: u.id }))
    }
  }
  return flat
}

const KINDS = ['skills', 'units', 'activities'] as const

/** What applying `incoming` over `current` creates, updates, leaves, and (with prune) deletes. */
export function compare(current: CatalogueDocument, incoming: CatalogueDocument, prune: boolean) {
  const now = flatten(current)
  const next = flatten(incoming)
  const ids = () => ({
    skills: [] as string[],
    units: [] as string[],
    activities: [] as string[],
    prerequisites: 0,
  })
  const counts = () => ({ skills: 0, units: 0, activities: 0, prerequisites: 0 })
  const plan = { created: ids(), updated: ids(), unchanged: counts(), deleted: ids(), kept: counts() }
  for (const kind of KINDS) {
    for (const [id, json] of next[kind]) {
      const before = now[kind].get(id)
      if (before === undefined) plan.created[kind].push(id)
      else if (before !== json) plan.updated[kind].push(id)
      else plan.unchanged[kind]++
    }
    for (const id of now[kind].keys()) {
      if (next[kind].has(id)) continue
      if (prune) plan.deleted[kind].push(id)
      else plan.kept[kind]++
    }
  }
  const incomingSkills = new Set(next.skills.keys())
  for (const edge of next.edges) if (!now.edges.has(edge)) plan.created.prerequisites++
  for (const edge of now.edges) {
    if (next.edges.has(edge)) plan.unchanged.prerequisites++
    // An edge of a skill in the document that the document no longer has is replaced; others stay
    // unless pruned with their skill.
    else if (incomingSkills.has(edge.split('>')[0] as string)) plan.deleted.prerequisites++
    else if (prune) plan.deleted.prerequisites++
    else plan.kept.prerequisites++
  }
  return plan
}

/** `column` is none of `ids`: one JSON parameter, however many ids (a list would be one parameter each). */
const noneOf = (column: SQLWrapper, ids: Iterable<string>) =>
  sql`${column} NOT IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify([...ids])}::jsonb))`

/** Learners' attempts and skill states that a prune of `incoming` would delete, for the read batch. */
export function pruneDestroys(db: Db, incoming: CatalogueDocument) {
  const flat = flatten(incoming)
  const keep = (column: SQLWrapper, kept: Map<string, string>) => noneOf(column, kept.keys())
  return db
    .select({
      attempts:
        sql<number>`(SELECT count(*) FROM ${attempts} WHERE ${keep(attempts.activityId, flat.activities)})`.mapWith(
          Number,
        ),
      skillStates:
        sql<number>`(SELECT count(*) FROM ${skillStates} WHERE ${keep(skillStates.skillId, flat.skills)})`.mapWith(
          Number,
        ),
    })
    .from(sql`(SELECT 1) AS one`)
}

/**
 * The learners' states a prune of `incoming` leaves standing on less evidence: a skill the document
 * keeps, whose learner has attempts on an activity it drops. Replayed after the import
 * (progress/merge/replay-states.ts), as the attempts go.
 */
export function pruneReplays(db: Db, incoming: CatalogueDocument) {
  const flat = flatten(incoming)
  return db
    .selectDistinct({ learnerId: attempts.learnerId, skillId: units.skillId })
    .from(attempts)
    .innerJoin(activities, eq(activities.id, attempts.activityId))
    .innerJoin(units, eq(units.id, activities.unitId))
    .where(
      and(
        noneOf(attempts.activityId, flat.activities.keys()),
        sql`${units.skillId} IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify([...flat.skills.keys()])}::jsonb))`,
      ),
    )
}

/** A published row of the document is published now, unless it was already. */
const publishedAt = sql`CASE WHEN status = 'published' THEN now() END`
/** On an update: a draft stays a draft; a published row keeps the time it was first published. */
const keptPublication = (table: typeof skills | typeof activities) =>
  sql`CASE WHEN excluded.published_at IS NULL THEN NULL ELSE coalesce(${table}.published_at, excluded.published_at) END`

/** The import's write batch: one transaction, all or nothing; `author` is recorded on every row it writes. */
export function importStatements(db: Db, incoming: CatalogueDocument, prune: boolean, author: string) {
  const skillRows = incoming.skills.map(({ units: _units, prerequisites: _p, ...s }) => s)
  const unitRows = incoming.skills.flatMap((s) =>
    s.units.map(({ activities: _a, ...u }) => ({ ...u, skillId: s.id })),
  )
  const activityRows = incoming.skills.flatMap((s) =>
    s.units.flatMap((u) => u.activities.map((a) => ({ ...a, unitId: u.id }))),
  )
  const edges = incoming.skills.flatMap((s) =>
    s.prerequisites.map((required) => ({ skillId: s.id, requiredSkillId: required })),
  )
  const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`
  const statements = {
    // The lock of prerequisite edits: no edge lands mid-import.
    lock: lockPrerequisiteEdits(db),
    // An update only where something differs: unchanged rows keep their updated_at and content version.
    skills: db.execute(sql`
      INSERT INTO ${skills} (id, name, description, level, metadata, published_at, updated_by)
      SELECT id, name, description, level, metadata, ${publishedAt}, ${author}
      FROM jsonb_to_recordset(${json(skillRows)})
        AS x(id uuid, name text, description text, level int, metadata jsonb, status text)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
        level = excluded.level, metadata = excluded.metadata, updated_by = excluded.updated_by,
        published_at = ${keptPublication(skills)}
      WHERE (skills.name, skills.description, skills.level, skills.metadata, skills.published_at IS NULL)
        IS DISTINCT FROM
        (excluded.name, excluded.description, excluded.level, excluded.metadata, excluded.published_at IS NULL)`),
    units: db.execute(sql`
      INSERT INTO ${units} (id, skill_id, name, description, "order", metadata, updated_by)
      SELECT id, "skillId", name, description, "order", metadata, ${author}
      FROM jsonb_to_recordset(${json(unitRows)}) AS x(id uuid, "skillId" uuid, name text, description text, "order" int, metadata jsonb)
      ON CONFLICT (id) DO UPDATE SET skill_id = excluded.skill_id, name = excluded.name,
        description = excluded.description, "order" = excluded."order", metadata = excluded.metadata,
        updated_by = excluded.updated_by
      WHERE (units.skill_id, units.name, units.description, units."order", units.metadata)
        IS DISTINCT FROM (excluded.skill_id, excluded.name, excluded.description, excluded."order", excluded.metadata)`),
    activities: db.execute(sql`
      INSERT INTO ${activities}
        (id, unit_id, name, description, type, "order", metadata, content, published_at, updated_by)
      SELECT id, "unitId", name, description, type, "order", metadata, content, ${publishedAt}, ${author}
      FROM jsonb_to_recordset(${json(activityRows)})
        AS x(id uuid, "unitId" uuid, name text, description text, type activity_type, "order" int,
          metadata jsonb, content jsonb, status text)
      ON CONFLICT (id) DO UPDATE SET unit_id = excluded.unit_id, name = excluded.name,
        description = excluded.description, type = excluded.type, "order" = excluded."order",
        metadata = excluded.metadata, content = excluded.content, updated_by = excluded.updated_by,
        published_at = ${keptPublication(activities)}
      WHERE (activities.unit_id, activities.name, activities.description, activities.type, activities."order",
          activities.metadata, activities.content, activities.published_at IS NULL)
        IS DISTINCT FROM (excluded.unit_id, excluded.name, excluded.description, excluded.type, excluded."order",
          excluded.metadata, excluded.content, excluded.published_at IS NULL)`),
    // The document's skills require exactly what it says.
    dropEdges: db.execute(sql`
      DELETE FROM ${skillPrerequisites} p
      WHERE p.skill_id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(${json(skillRows)}) x)
        AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(${json(edges)}) AS e("skillId" uuid, "requiredSkillId" uuid)
          WHERE e."skillId" = p.skill_id AND e."requiredSkillId" = p.required_skill_id)`),
    addEdges: db.execute(sql`
      INSERT INTO ${skillPrerequisites} (skill_id, required_skill_id)
      SELECT "skillId", "requiredSkillId" FROM jsonb_to_recordset(${json(edges)}) AS e("skillId" uuid, "requiredSkillId" uuid)
      ON CONFLICT DO NOTHING`),
  }
  if (!prune) return statements
  const ids = (rows: { id: string }[]) => rows.map((row) => row.id)
  // What the document does not have, whatever its parent: cascades take attempts and states along.
  return {
    ...statements,
    pruneActivities: db.execute(
      sql`DELETE FROM ${activities} WHERE ${noneOf(activities.id, ids(activityRows))}`,
    ),
    pruneUnits: db.execute(sql`DELETE FROM ${units} WHERE ${noneOf(units.id, ids(unitRows))}`),
    pruneSkills: db.execute(sql`DELETE FROM ${skills} WHERE ${noneOf(skills.id, ids(skillRows))}`),
  }
}
