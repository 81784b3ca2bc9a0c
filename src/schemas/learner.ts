import { z } from '@hono/zod-openapi'
import { text } from '../content/schema.ts'
import { Timestamp } from './common.ts'

export const LearnerSchema = z
  .object({
    id: z.uuid(),
    displayName: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    lastActiveAt: Timestamp,
  })
  .openapi('Learner')

export const UpdateLearnerSchema = z
  .strictObject({ displayName: text(80).nullable().openapi({ example: 'Ada' }) })
  .openapi('UpdateLearner')
