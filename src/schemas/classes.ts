/** Classes as authors and learners see them: authors get the code and a count, learners the name. */
import { z } from '@hono/zod-openapi'
import { text } from '../content/schema.ts'
import { Timestamp } from './common.ts'

export const CreateClassSchema = z
  .strictObject({ name: text(200) })
  .openapi('CreateClass', { example: { name: 'Year 4, Ms Rivera' } })

export const AdminClassSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    joinCode: z
      .string()
      .openapi({ description: 'What learners type to join: eight characters, no look-alikes.' }),
    members: z.int().openapi({ description: 'How many learners joined (never who).' }),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('AdminClass')

export const JoinClassSchema = z
  .strictObject({
    code: z.string().max(32).openapi({
      description: 'The class’s join code, in any case, with or without spaces and dashes.',
      example: 'K7QM-2XHP',
    }),
  })
  .openapi('JoinClass')

export const MyClassSchema = z
  .object({ id: z.uuid(), name: z.string(), joinedAt: Timestamp })
  .openapi('MyClass', { description: 'A class this learner joined. The class sees counts, never who.' })
