/** Response shapes of the catalogue, and presenters from database rows to them. */
import { z } from '@hono/zod-openapi'
import { LearnerContent, learnerView } from '../content/learner-view.ts'
import { type ActivityContent, activityContent } from '../content/schema.ts'
import { type Activity, activityType, type Skill, type Unit } from '../db/schema.ts'
import { Timestamp } from './common.ts'

const Metadata = z.record(z.string(), z.unknown()).openapi({ description: 'Free-form JSON for clients.' })
export const ActivityType = z.enum(activityType.enumValues)

export const SkillSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    level: z.int(),
    metadata: Metadata,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Skill')

export const UnitSchema = z
  .object({
    id: z.uuid(),
    skillId: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    order: z.int(),
    metadata: Metadata,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Unit')

const ActivitySummarySchema = z
  .object({
    id: z.uuid(),
    unitId: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    type: ActivityType,
    order: z.int(),
    questionCount: z.int(),
  })
  .openapi('ActivitySummary')

export const ActivitySchema = ActivitySummarySchema.extend({
  content: LearnerContent,
  metadata: Metadata,
  createdAt: Timestamp,
  updatedAt: Timestamp,
}).openapi('Activity')

/** What authors see through the admin API: the full content, answer keys included. */
export const AdminActivitySchema = ActivitySchema.extend({ content: activityContent }).openapi(
  'AdminActivity',
)

export const UnitWithActivitiesSchema = UnitSchema.extend({
  activities: z.array(ActivitySummarySchema),
}).openapi('UnitWithActivities')
export const SkillTreeSchema = SkillSchema.extend({ units: z.array(UnitWithActivitiesSchema) }).openapi(
  'SkillTree',
)

const iso = (date: Date) => date.toISOString()

/** Content is validated before it is stored; parsing again here fills defaults of older rows. */
const parseContent = (content: unknown): ActivityContent => activityContent.parse(content)

export const presentSkill = (skill: Skill): z.infer<typeof SkillSchema> => ({
  ...skill,
  createdAt: iso(skill.createdAt),
  updatedAt: iso(skill.updatedAt),
})

export const presentUnit = (unit: Unit): z.infer<typeof UnitSchema> => ({
  ...unit,
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

export const presentActivity = (activity: Activity): z.infer<typeof ActivitySchema> => ({
  ...presentActivitySummary({ ...activity, questionCount: parseContent(activity.content).questions.length }),
  content: learnerView(parseContent(activity.content)),
  metadata: activity.metadata,
  createdAt: iso(activity.createdAt),
  updatedAt: iso(activity.updatedAt),
})

export const presentAdminActivity = (activity: Activity): z.infer<typeof AdminActivitySchema> => ({
  ...presentActivity(activity),
  content: parseContent(activity.content),
})

export const presentUnitWithActivities = (
  unit: Unit & { activities: ActivitySummaryRow[] },
): z.infer<typeof UnitWithActivitiesSchema> => ({
  ...presentUnit(unit),
  activities: unit.activities.map(presentActivitySummary),
})
