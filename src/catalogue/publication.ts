/**
 * Drafts and published content. A skill or an activity is a draft until an author publishes it
 * (`published_at` set); learners never see a draft, nor an activity of a draft skill: not in the
 * catalogue, search, up next or due reviews, and a start is a 404. Authors see and preview
 * everything through the admin API.
 *
 * What a learner already did stays theirs: an attempt started before its activity went back to
 * draft is still graded, and still teaches the model about its unit. But a skill's mastery is read
 * against the units that have a *published* activity, and progress counts published activities only
 * (mastery/next-state.ts): unpublishing a whole unit takes it out of what "mastered" asks.
 */
import { isNotNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { activities, skills } from '../db/schema.ts'

export const PUBLICATION_STATUSES = ['draft', 'published'] as const
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number]

export const statusOf = (row: { publishedAt: Date | null }): PublicationStatus =>
  row.publishedAt ? 'published' : 'draft'

/** The published skills: a condition over `skills`. */
export const skillPublished = isNotNull(skills.publishedAt)
/** The published activities: a condition over `activities` (their skill is checked apart). */
export const activityPublished = isNotNull(activities.publishedAt)

/** The unit, activity or state of this skill id is in a published skill: a condition for any statement. */
export const inPublishedSkill = (skillId: SQLWrapper) =>
  sql`EXISTS (SELECT 1 FROM ${skills} s WHERE s.id = ${skillId} AND s.published_at IS NOT NULL)`

/** `published_at` for a row an author creates with `status`. */
export const publishedAtOnCreate = (status: PublicationStatus) => (status === 'published' ? sql`now()` : null)

/**
 * `published_at` for an update: publishing keeps the first publication's time, a draft clears it,
 * no status leaves it as it is.
 */
export function publishedAtOnUpdate(
  status: PublicationStatus | undefined,
  column: AnyPgColumn,
): SQL | null | undefined {
  if (status === undefined) return undefined
  return status === 'published' ? sql`coalesce(${column}, now())` : null
}
