import * as z from 'zod'
import { text } from '../content/schema.ts'
import { Timestamp } from './common.ts'

export const LearnerSchema = z
  .object({
    id: z.guid(),
    displayName: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    lastActiveAt: Timestamp,
  })
  .meta({ id: 'Learner' })

export const UpdateLearnerSchema = z
  .strictObject({ displayName: text(80).nullable().meta({ example: 'Ada' }) })
  .meta({ id: 'UpdateLearner' })
