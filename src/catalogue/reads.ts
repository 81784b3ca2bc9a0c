/**
 * The public catalogue's reads: published skills, units and activities, each one round trip (none
 * when the edge cache answers: src/middleware/edge-cache.ts). Learners never see answer keys:
 * the routes present activities through learnerView().
 */
import { and, asc, eq, gt, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { activities, skills, units } from '../db/schema.ts'
import { prerequisitesJson } from './prerequisites.ts'
import { activityPublished, inPublishedSkill, skillPublished } from './publication.ts'

/** Summaries of a unit's activities, ordered, without shipping their content over the wire. */
const activitySummaries = {
  columns: { id: true, unitId: true, name: true, description: true, type: true, order: true } as const,
  extras: {
    questionCount: sql<number>`jsonb_array_length(${activities.content}->'questions')`.as('question_count'),
  },
  orderBy: [asc(activities.order), asc(activities.id)],
  where: activityPublished,
}

/**
 * A page of published skills by (name, id) with their prerequisites, and where the next page starts
 * (null on the last).
 */
export async function skillPage(db: Db, limit: number, after?: readonly [string, string]) {
  const rows = await retryReads(() =>
    db
      .select({ skill: skills, prerequisites: prerequisitesJson(sql`${skills}.id`) })
      .from(skills)
      .where(
        and(
          skillPublished,
          after && or(gt(skills.name, after[0]), and(eq(skills.name, after[0]), gt(skills.id, after[1]))),
        ),
      )
      .orderBy(asc(skills.name), asc(skills.id))
      .limit(limit + 1),
  )
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next: rows.length > limit && last ? ([last.skill.name, last.skill.id] as const) : null }
}

/** A published skill with its prerequisites, units and their published activities, ordered. */
export const publishedSkillTree = (db: Db, skillId: string) =>
  retryReads(() =>
    db.query.skills.findFirst({
      where: and(eq(skills.id, skillId), skillPublished),
      extras: (table) => ({ prerequisites: prerequisitesJson(table.id).as('prerequisites') }),
      with: {
        units: { orderBy: [asc(units.order), asc(units.id)], with: { activities: activitySummaries } },
      },
    }),
  )

/** A unit of a published skill with its published activities. */
export const publishedUnit = (db: Db, unitId: string) =>
  retryReads(() =>
    db.query.units.findFirst({
      where: (unit) => and(eq(unit.id, unitId), inPublishedSkill(unit.skillId)),
      with: { activities: activitySummaries },
    }),
  )

/** A published activity with the names of its unit and skill (for a page's breadcrumbs). */
export async function publishedActivity(db: Db, activityId: string) {
  const [found] = await retryReads(() =>
    db
      .select({
        activity: activities,
        unit: { id: units.id, name: units.name },
        skill: { id: skills.id, name: skills.name },
      })
      .from(activities)
      .innerJoin(units, eq(units.id, activities.unitId))
      .innerJoin(skills, eq(skills.id, units.skillId))
      .where(and(eq(activities.id, activityId), activityPublished, skillPublished)),
  )
  return found
}
