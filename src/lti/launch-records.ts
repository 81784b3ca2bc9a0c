/**
 * What a launch records beside the learner, in the launch's own batch: where the link's grades go
 * (a resource link the platform grades, naming one of ours), and, for an instructor, the course as a
 * class (created on its first instructor launch) with where its roster is read.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import { newJoinCode } from '../classes/join-code.ts'
import type { Statements } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { insertWhere } from '../db/insert-where.ts'
import { classes, ltiContexts, ltiGradeLinks } from '../db/schema.ts'
import type { Launch } from './claims.ts'

/** The learner's grade link for this resource link, made or brought up to date; none without grades. */
export function gradeLink(db: Db, launch: Launch, learnerId: SQL, known: SQL): Statements {
  const { grades, target } = launch
  if (!grades || !target) return {}
  const values = {
    targetKind: target.kind,
    targetId: target.id,
    lineItemUrl: grades.lineItemUrl ?? null,
    lineItemsUrl: grades.lineItemsUrl ?? null,
    label: grades.label,
  }
  const link = insertWhere(
    db,
    ltiGradeLinks,
    {
      ...values,
      platformId: launch.platformId,
      learnerId,
      subject: launch.subject,
      resourceLinkId: grades.resourceLinkId,
    },
    known,
  ).onConflictDoUpdate({
    target: [ltiGradeLinks.learnerId, ltiGradeLinks.platformId, ltiGradeLinks.resourceLinkId],
    set: {
      ...values,
      // Another line item starts its own timeline of scores.
      sentAt: sql`CASE WHEN ${ltiGradeLinks.lineItemUrl} IS NOT DISTINCT FROM excluded.line_item_url
        THEN ${ltiGradeLinks.sentAt} END`,
    },
  })
  return { gradeLink: link }
}

/** An instructor's course as a class, made on their first launch in it; none for a learner. */
export function instructorCourse(db: Db, launch: Launch): Statements {
  const { context } = launch
  if (!launch.instructor || !context) return {}
  const classId = crypto.randomUUID()
  const thisCourse = and(eq(ltiContexts.platformId, launch.platformId), eq(ltiContexts.contextId, context.id))
  const isNew = sql`NOT EXISTS (SELECT 1 FROM ${ltiContexts} WHERE ${thisCourse})`
  return {
    courseClass: insertWhere(
      db,
      classes,
      { id: classId, name: context.title, joinCode: newJoinCode(), createdBy: 'LTI' },
      isNew,
    ),
    course: db
      .insert(ltiContexts)
      .values({
        platformId: launch.platformId,
        contextId: context.id,
        classId,
        membershipsUrl: context.membershipsUrl ?? null,
      })
      .onConflictDoUpdate({
        target: [ltiContexts.platformId, ltiContexts.contextId],
        set: { membershipsUrl: context.membershipsUrl ?? null },
      })
      .returning({ classId: ltiContexts.classId }),
  }
}
