import * as z from 'zod'
import { text } from '../content/schema.ts'
import { Timestamp } from './common.ts'

/** http(s) only; https is required in production by the route (a local platform runs on http). */
const endpoint = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .regex(
    /^https?:\/\/(((([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)\.)*[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)|((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}))(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*)?$/,
    'must be an http(s) URL',
  )

export const CreateLtiPlatformSchema = z
  .strictObject({
    name: text(200),
    issuer: endpoint.meta({ description: 'The platform’s `iss`: for Moodle, its site URL.' }),
    clientId: text(200).meta({
      description: 'The client id the platform gave this tool (the id_token’s `aud`).',
    }),
    deploymentIds: z
      .array(text(200))
      .min(1)
      .max(100)
      .meta({ description: 'The deployments of this tool on it.' }),
    authLoginUrl: endpoint.meta({ description: 'Its OIDC authentication request URL.' }),
    accessTokenUrl: endpoint.meta({ description: 'Its OAuth 2 token URL (for grades and rosters).' }),
    jwksUrl: endpoint.meta({ description: 'Where it publishes its keys (JWKS).' }),
  })
  .meta({ id: 'CreateLtiPlatform' })

export const LtiPlatformSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    issuer: z.string(),
    clientId: z.string(),
    deploymentIds: z.array(z.string()),
    authLoginUrl: z.string(),
    accessTokenUrl: z.string(),
    jwksUrl: z.string(),
    status: z.enum(['draft', 'live']).meta({
      description: '`draft` until approved (a platform that registered itself); launches need `live`.',
    }),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'LtiPlatform' })

export const FailedGradeSchema = z
  .object({
    platform: z.string(),
    learner: z.string().meta({ description: 'Their name as the platform gave it, else its user id.' }),
    link: z.string().meta({ description: 'The LMS link’s title.' }),
    targetKind: z.enum(['activity', 'unit', 'skill']),
    targetId: z.guid(),
    score: z.number().meta({ description: 'Out of 100.' }),
    scoredAt: Timestamp,
    failedAt: Timestamp,
    reason: z.string().meta({ description: 'What the platform answered, in words.' }),
  })
  .meta({ id: 'FailedGrade' })
