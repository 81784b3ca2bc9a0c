/**
 * What the admin routes share: the route shape and the not-found rule. One round trip per request:
 * every write is a single statement with RETURNING, and a missing row is a 404. A unit or activity
 * pointing at a parent that does not exist is a 422 (foreign key violation).
 */
import { ApiError } from '../../errors.ts'
import { emptyResponse, problemResponses } from '../../openapi.ts'

export const deleted = { 204: emptyResponse('Deleted, with everything under it') }
/** Beyond what every admin route can answer (routes/define.ts). */
export const failures = problemResponses(400, 404, 422)

/** The row a domain function found, or a 404 naming what was missing. */
export function found<T>(row: T | null | undefined, what: string): T {
  if (row === null || row === undefined) throw new ApiError('not_found', `No ${what} with this id.`)
  return row
}

/** The activity at the version read (`versionRead`): a 404 naming the version asked for, if any. */
export function foundVersion<T>(row: T | null | undefined, asked: number | undefined): T {
  if (row === null || row === undefined) {
    throw new ApiError(
      'not_found',
      asked ? `This activity has no version ${asked}.` : 'No activity with this id.',
    )
  }
  return row
}

/** An admin route's method, path, tag and summary, for `adminRoute` (src/routes/define.ts). */
export const route = <M extends 'get' | 'post' | 'put' | 'patch' | 'delete', P extends string>(
  method: M,
  path: P,
  tag: string,
  summary: string,
) => ({ method, path, tags: [`Admin: ${tag}`], summary })
