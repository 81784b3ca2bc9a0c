/** Response shapes of the catalogue, and presenters from database rows to them. */
import * as z from 'zod'
import { PUBLICATION_STATUSES, statusOf } from '../catalogue/publication.ts'
import { LearnerContent, learnerView } from '../content/learner-view.ts'
import { type ActivityContent, activityContent } from '../content/schema.ts'
import { type Activity, activityType, type Skill, type Unit } from '../db/schema.ts'
import { Timestamp } from './common.ts'

const Metadata = z.record(z.string(), z.unknown()).meta({ description: 'Free-form JSON for clients.' })
export const ActivityType = z.enum(activityType.enumValues)

export const SkillSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    description: z.string().nullable(),
    level: z.int(),
    metadata: Metadata,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Skill' })

export const UnitSchema = z
  .object({
    id: z.guid(),
    skillId: z.guid(),
    name: z.string(),
    description: z.string().nullable(),
    order: z.int(),
    metadata: Metadata,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Unit' })

/** A skill named from another's: a prerequisite, a recommendation. */
export const SkillRefSchema = z
  .object({ id: z.guid(), name: z.string(), level: z.int() })
  .meta({ id: 'SkillRef' })

export const SkillPrerequisitesSchema = z
  .object({ skillId: z.guid(), prerequisites: z.array(SkillRefSchema) })
  .meta({ id: 'SkillPrerequisites' })

const ActivitySummarySchema = z
  .object({
    id: z.guid(),
    unitId: z.guid(),
    name: z.string(),
    description: z.string().nullable(),
    type: ActivityType,
    order: z.int(),
    questionCount: z.int(),
  })
  .meta({ id: 'ActivitySummary' })

const activityDetails = { metadata: Metadata, createdAt: Timestamp, updatedAt: Timestamp }

/** Where an activity sits, by name: what a page needs for its breadcrumbs without two more requests. */
const Place = z.object({ id: z.guid(), name: z.string() })

export const ActivitySchema = ActivitySummarySchema.extend({
  content: LearnerContent,
  ...activityDetails,
  unit: Place.meta({ description: 'The unit the activity belongs to.' }),
  skill: Place.meta({ description: 'The skill of that unit.' }),
}).meta({ id: 'Activity' })

const updatedBy = z
  .string()
  .nullable()
  .meta({ description: 'The author (ADMIN_TOKENS name) of the last admin write; null if none.' })

/** Whether learners see it, and since when. */
const published = {
  status: z.enum(PUBLICATION_STATUSES),
  publishedAt: Timestamp.nullable().meta({
    description: 'When it was first published; null for a draft.',
  }),
}

/** What authors see of a skill and a unit: who changed it last, too. */
export const AdminSkillSchema = SkillSchema.extend({ updatedBy, ...published }).meta({ id: 'AdminSkill' })
export const AdminUnitSchema = UnitSchema.extend({ updatedBy }).meta({ id: 'AdminUnit' })

/**
 * What authors see through the admin API: the full content, answer keys included. Not an extension
 * of Activity: the document would state it as allOf, and a client would have to satisfy both contents.
 */
export const AdminActivitySchema = ActivitySummarySchema.extend({
  content: activityContent,
  ...activityDetails,
  updatedBy,
  ...published,
}).meta({ id: 'AdminActivity' })

export const UnitWithActivitiesSchema = UnitSchema.extend({
  activities: z.array(ActivitySummarySchema),
}).meta({ id: 'UnitWithActivities' })
const prerequisites = z.array(SkillRefSchema).meta({
  description:
    'The skills this one builds on, by level then name. A learner is recommended this skill after them (a soft lock: it stays open).',
})

/** A skill as the public catalogue shows it: with its prerequisites. */
export const CatalogueSkillSchema = SkillSchema.extend({ prerequisites }).meta({ id: 'CatalogueSkill' })

export const SkillTreeSchema = CatalogueSkillSchema.extend({
  units: z.array(UnitWithActivitiesSchema),
}).meta({ id: 'SkillTree' })

const iso = (date: Date) => date.toISOString()

/** Content is validated before it is stored; parsing again here fills defaults of older rows. */
const parseContent = (content: unknown): ActivityContent => activityContent.parse(content)

// Presenters name every field: a row also carries columns no client should see (the search vectors).
const presentSkill = (skill: Skill): z.infer<typeof SkillSchema> => ({
  id: skill.id,
  name: skill.name,
  description: skill.description,
  level: skill.level,
  metadata: skill.metadata,
  createdAt: iso(skill.createdAt),
  updatedAt: iso(skill.updatedAt),
})

export const presentCatalogueSkill = (
  skill: Skill,
  prerequisites: z.infer<typeof SkillRefSchema>[],
): z.infer<typeof CatalogueSkillSchema> => ({ ...presentSkill(skill), prerequisites })

const presentUnit = (unit: Unit): z.infer<typeof UnitSchema> => ({
  id: unit.id,
  skillId: unit.skillId,
  name: unit.name,
  description: unit.description,
  order: unit.order,
  metadata: unit.metadata,
  createdAt: iso(unit.createdAt),
  updatedAt: iso(unit.updatedAt),
})

export type ActivitySummaryRow = Pick<
  Activity,
  'id' | 'unitId' | 'name' | 'description' | 'type' | 'order'
> & {
  questionCount: number
}

const presentActivitySummary = ({
  id,
  unitId,
  name,
  description,
  type,
  order,
  questionCount,
}: ActivitySummaryRow) => ({
  id,
  unitId,
  name,
  description,
  type,
  order,
  questionCount,
})

const presentActivityBody = (activity: Activity) => ({
  ...presentActivitySummary({ ...activity, questionCount: parseContent(activity.content).questions.length }),
  metadata: activity.metadata,
  createdAt: iso(activity.createdAt),
  updatedAt: iso(activity.updatedAt),
})

type Place = z.infer<typeof Place>

/** An activity as learners see it (no answer keys), with its unit and skill. */
export const presentActivity = (
  activity: Activity,
  { unit, skill }: { unit: Place; skill: Place },
): z.infer<typeof ActivitySchema> => ({
  ...presentActivityBody(activity),
  content: learnerView(parseContent(activity.content), activity.type),
  unit,
  skill,
})

export const presentAdminActivity = (activity: Activity): z.infer<typeof AdminActivitySchema> => ({
  ...presentActivityBody(activity),
  content: parseContent(activity.content),
  updatedBy: activity.updatedBy,
  ...publicationOf(activity),
})

export const presentAdminSkill = (skill: Skill): z.infer<typeof AdminSkillSchema> => ({
  ...presentSkill(skill),
  updatedBy: skill.updatedBy,
  ...publicationOf(skill),
})

function publicationOf(row: { publishedAt: Date | null }) {
  return { status: statusOf(row), publishedAt: row.publishedAt && iso(row.publishedAt) }
}

export const presentAdminUnit = (unit: Unit): z.infer<typeof AdminUnitSchema> => ({
  ...presentUnit(unit),
  updatedBy: unit.updatedBy,
})

export const presentUnitWithActivities = (
  unit: Unit & { activities: ActivitySummaryRow[] },
): z.infer<typeof UnitWithActivitiesSchema> => ({
  ...presentUnit(unit),
  activities: unit.activities.map(presentActivitySummary),
})
