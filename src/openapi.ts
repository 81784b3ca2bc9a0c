import { z } from '@hono/zod-openapi'
import { PROBLEM_CONTENT_TYPE } from './errors.ts'

/** RFC 9457 problem details, as every error response of this API is shaped. */
const Problem = z
  .object({
    type: z.string().openapi({ example: 'tag:learning-progress-api,2026:problems:not_found' }),
    title: z.string().openapi({ example: 'Not found' }),
    status: z.int().openapi({ example: 404 }),
    detail: z.string(),
    instance: z.string().openapi({ description: 'The request path.' }),
    requestId: z.string().openapi({ description: 'Also sent as the X-Request-Id header.' }),
    errors: z
      .array(
        z.object({
          pointer: z.string().optional().openapi({ description: 'JSON pointer into the body (RFC 6901).' }),
          parameter: z.string().optional().openapi({ description: 'Query, path or header parameter.' }),
          detail: z.string(),
        }),
      )
      .optional(),
  })
  .openapi('Problem')

const descriptions: Record<number, string> = {
  400: 'Invalid request (problem details list each invalid input)',
  401: 'No valid session or credentials',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Unprocessable content',
  429: 'Too many requests; see Retry-After',
  500: 'Unexpected error or misconfiguration',
  503: 'Database unavailable; see Retry-After',
}

/** Problem responses for a route's OpenAPI definition. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
      },
    ]),
  )
}

/** A JSON response for a route's OpenAPI definition: `{ 200: jsonResponse(Schema, 'The thing') }`. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
})
