/**
 * Request bodies of the admin API: strict objects (unknown keys are 400s), bounded strings and
 * numbers. Each resource lists its fields once; creation adds defaults, an update takes any
 * non-empty subset.
 */
import * as z from 'zod'
import { PUBLICATION_STATUSES } from '../catalogue/publication.ts'
import { instanceProblems } from '../content/authoring-check.ts'
import { type ActivityContent, activityContent, text } from '../content/schema.ts'
import { BktOverrides } from '../mastery/bkt.ts'
import { ActivityType } from './catalogue.ts'
import { MetadataInput } from './common.ts'

export const id = z.guid().transform((value) => value.toLowerCase())
const order = z.int().min(0).max(100_000)
const level = z.int().min(1).max(10)
const description = text(2000).nullable()
export const publication = z.enum(PUBLICATION_STATUSES).meta({
  description:
    '`draft`: only authors see it; `published`: learners see it (an activity only once its skill is ' +
    'published too). New skills and activities are drafts unless created `published`.',
})

function updateOf<T extends Record<string, z.ZodType>>(
  fields: T,
  name: string,
  check: (body: Record<string, unknown>, ctx: z.RefinementCtx) => void = () => {},
) {
  const optional = Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, schema.optional()]))
  return z
    .strictObject(optional as { [K in keyof T]: z.ZodOptional<T[K]> })
    .refine((value) => Object.keys(value).length > 0, { message: 'send at least one field to change' })
    .superRefine(check)
    .meta({ id: name, minProperties: 1, description: 'The fields to change: at least one.' })
}

/** A skill's metadata may carry its BKT parameters (`bkt`), which must then be valid. */
const SkillMetadata = MetadataInput.superRefine((metadata, ctx) => {
  if (!('bkt' in metadata)) return
  const parsed = BktOverrides.safeParse(metadata.bkt)
  for (const issue of parsed.error?.issues ?? []) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: ['bkt', ...issue.path] })
  }
})

/**
 * Content as an author saves it: the schema, and the instances of parameterised questions drawn from
 * fixed seeds (content/authoring-check.ts), each problem pointing at its field. A check on the body
 * rather than on `content`, so the document keeps naming the one ActivityContent schema.
 */
export const checkingInstances = (body: { content?: ActivityContent }, ctx: z.RefinementCtx) => {
  if (!body.content) return
  for (const { path, message } of instanceProblems(body.content))
    ctx.addIssue({ code: 'custom', path: ['content', ...path], message })
}

export const skill = { name: text(200), description, level, metadata: SkillMetadata, status: publication }
export const unit = { skillId: id, name: text(200), description, order, metadata: MetadataInput }
export const activity = {
  unitId: id,
  name: text(200),
  description,
  type: ActivityType,
  order,
  content: activityContent,
  metadata: MetadataInput,
  status: publication,
}

export const CreateSkillSchema = z
  .strictObject({
    ...skill,
    description: description.optional(),
    level: level.default(1),
    metadata: SkillMetadata.default({}),
    status: publication.default('draft'),
  })
  .meta({
    id: 'CreateSkill',
    example: { name: 'Fractions', description: 'Halves, thirds and quarters.', level: 2 },
  })
export const UpdateSkillSchema = updateOf(skill, 'UpdateSkill')

export const CreateUnitSchema = z
  .strictObject({
    ...unit,
    description: description.optional(),
    order: order.default(0),
    metadata: MetadataInput.default({}),
  })
  .meta({ id: 'CreateUnit' })
export const UpdateUnitSchema = updateOf(unit, 'UpdateUnit')

export const CreateActivitySchema = z
  .strictObject({
    ...activity,
    description: description.optional(),
    type: ActivityType.default('practice'),
    order: order.default(0),
    metadata: MetadataInput.default({}),
    status: publication.default('draft'),
  })
  .superRefine(checkingInstances)
  .meta({ id: 'CreateActivity' })
export const UpdateActivitySchema = updateOf(activity, 'UpdateActivity', checkingInstances)
