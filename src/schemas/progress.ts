/** Skill states as learners read them, and presenters from rows to them. */
import * as z from 'zod'
import { type SkillState, skillStateStatus } from '../db/schema.ts'
import { REVIEW_RATINGS } from '../mastery/fsrs.ts'
import { skillKnowledge } from '../mastery/knowledge.ts'
import { effectiveStatus } from '../mastery/state.ts'
import { AttemptSchema } from './attempts.ts'
import { SkillRefSchema } from './catalogue.ts'
import { Timestamp } from './common.ts'

const SkillStateStatus = z.enum(skillStateStatus.enumValues)

export const SkillStateSchema = z
  .object({
    skillId: z.guid(),
    status: SkillStateStatus,
    progress: z.number().meta({ description: 'Share of the skill’s activities passed, in [0, 1].' }),
    masteryScore: z.number().meta({
      description:
        'How much of the skill the learner knows: the mean, over the skill’s units that have activities, of the ' +
        'model’s probability that the learner knows the unit (Bayesian Knowledge Tracing P(L)), a unit never ' +
        'practised counting at the prior (also while not started). The skill is mastered when every such unit ' +
        'is at 0.95 or more.',
    }),
    nextReviewAt: Timestamp.nullable().meta({
      description: 'When the skill is due for review (its FSRS card), once mastered; null before.',
    }),
    updatedAt: Timestamp.nullable().meta({ description: 'Null while not started.' }),
  })
  .meta({ id: 'SkillState' })

const UnitKnowledgeChange = z
  .object({
    unitId: z.guid(),
    before: z.number().meta({ description: 'P(L) of the unit before this submission.' }),
    after: z.number().meta({ description: 'P(L) of the unit after it.' }),
  })
  .meta({ id: 'UnitKnowledgeChange' })

export const SubmitResultSchema = z
  .object({
    attempt: AttemptSchema,
    passed: z.boolean(),
    review: z.enum(REVIEW_RATINGS).nullable().meta({
      description: 'The FSRS rating, when this submission reviewed a mastered skill (or first mastered it).',
    }),
    skillState: SkillStateSchema,
    knowledge: z.array(UnitKnowledgeChange).meta({
      description:
        'Each unit of the skill with published activities: its knowledge before and after this submission.',
    }),
  })
  .meta({ id: 'SubmitResult' })

export const MySkillSchema = SkillStateSchema.extend({
  name: z.string(),
  level: z.int(),
  recommendedAfter: z.array(SkillRefSchema).meta({
    description:
      'The skill’s prerequisites this learner has not mastered yet, by level then name: the skill is recommended ' +
      'after them. It stays open (a soft lock); empty when there is nothing to wait for.',
  }),
}).meta({ id: 'MySkill' })

const UnitProgressSchema = z
  .object({
    unitId: z.guid(),
    name: z.string(),
    order: z.int(),
    activityCount: z.int(),
    completedCount: z.int().meta({ description: 'Activities with at least one completed attempt.' }),
    passedCount: z.int().meta({ description: 'Activities completed at or above their passing score.' }),
    knowledge: z.number().nullable().meta({
      description:
        'P(L) that the learner knows this unit (the prior while not practised); null for a unit without published activities.',
    }),
  })
  .meta({ id: 'UnitProgress' })

export const MySkillDetailSchema = MySkillSchema.extend({ units: z.array(UnitProgressSchema) }).meta({
  id: 'MySkillDetail',
})

/** What a skill's state is read against: its units with activities now, and its prior P(L0). */
export type KnowledgeContext = { unitIds: readonly string[]; pInit: number }

/**
 * A skill's state as it reads now: its mastery over the skill's current units (a unit added since
 * reads at the prior and makes a mastered skill in progress), a mastered skill past its due date
 * review_needed, and a skill with no row yet `not_started` at the prior.
 */
export function presentSkillState(
  skillId: string,
  state: SkillState | null,
  context: KnowledgeContext,
  now = new Date(),
): z.infer<typeof SkillStateSchema> {
  const { masteryScore, learned } = skillKnowledge(state?.unitKnowledge ?? {}, context.unitIds, context.pInit)
  return {
    skillId,
    status: effectiveStatus(state, now, learned),
    progress: state?.progress ?? 0,
    masteryScore,
    nextReviewAt: state?.due?.toISOString() ?? null,
    updatedAt: state?.updatedAt.toISOString() ?? null,
  }
}
