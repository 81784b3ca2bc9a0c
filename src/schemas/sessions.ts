import * as z from 'zod'
import type { Session } from '../db/schema.ts'
import { Timestamp } from './common.ts'

export const DeviceSchema = z
  .object({
    id: z.guid(),
    label: z.string().meta({ example: 'Firefox on Linux' }),
    current: z.boolean().meta({ description: 'This is the device the request came from.' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.meta({ description: 'Refreshed at most every five minutes.' }),
  })
  .meta({
    id: 'Device',
    description: 'A signed-in device: one session of the learner. Never its cookie or hash.',
  })

export const presentDevice = (session: Session, current: boolean): z.infer<typeof DeviceSchema> => ({
  id: session.id,
  label: session.label,
  current,
  createdAt: session.createdAt.toISOString(),
  lastUsedAt: session.lastUsedAt.toISOString(),
})
