import { type SQLWrapper, sql } from 'drizzle-orm'
import * as z from 'zod'
import { ApiError } from '../errors.ts'
import { PROTOTYPE_KEYS } from '../http/json-scan.ts'
import { fromBase64Url, toBase64Url, utf8 } from '../lib/encoding.ts'

/** A UUID path parameter, lower-cased so `ABC…` and `abc…` name the same row. Checked before any query. */
export const uuidParam = <K extends string>(name: K) =>
  z.object({
    [name]: z
      // guid, not uuid: any 8-4-4-4-12 hex, as `format: uuid` promises, not only RFC 9562 variants.
      .guid({ message: 'must be a UUID' })
      .transform((value) => value.toLowerCase())
      .meta({ param: { name, in: 'path' }, example: '00000000-0000-4000-8000-000000000001' }),
  } as Record<K, z.ZodPipe<z.ZodGUID, z.ZodTransform<string, string>>>)

export const Timestamp = z.iso.datetime({ offset: true }).meta({ example: '2026-11-25T10:00:00.000Z' })

/** `limit` 1–`max` (default `fallback`), given once, digits only: `1e3`, `abc`, `-1` and `limit=1&limit=2` are 400s. */
export const limitOf = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, `must be an integer from 1 to ${max}`)
    .transform(Number)
    .pipe(z.int().min(1, 'must be at least 1').max(max, `must be at most ${max}`))
    .default(fallback)
    .meta({
      param: { name: 'limit', in: 'query' },
      type: 'integer',
      minimum: 1,
      maximum: max,
      default: fallback,
      example: fallback,
    })

export const limitQuery = limitOf(100, 20)

export const cursorQuery = z
  .string()
  .min(1)
  .max(512)
  // Opaque, but says what it is: base64url (unpadded) of what the previous page ended at.
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor this API gave')
  .optional()
  .meta({
    param: { name: 'cursor', in: 'query' },
    description: 'The `nextCursor` of the previous page: opaque, base64url.',
    format: 'base64url',
  })

/** Text that is well-formed Unicode (no lone surrogates), for strings that reach a query. */
export const wellFormedText = z
  .string()
  .refine((value) => value.isWellFormed(), 'must be well-formed Unicode text')
  // Postgres text refuses NUL: refused here, before any round trip, not as a database error.
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')

/** A timestamp column as cursors carry it, computed in SQL (to_char keeps the microseconds a Date would lose). */
export const cursorTimestampOf = (column: SQLWrapper) =>
  sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/**
 * A timestamp as cursors carry it (microseconds, UTC) that names a real instant, years 1 to 9999:
 * `2026-13-45T99:99:99.000000Z` or year 0 would otherwise reach Postgres and fail there.
 */
export const CursorTimestamp = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
  .refine((value) => {
    const millis = `${value.slice(0, 23)}Z`
    const date = new Date(millis)
    return Number(value.slice(0, 4)) >= 1 && !Number.isNaN(date.getTime()) && date.toISOString() === millis
  })

/**
 * Keyset cursors are opaque to clients: base64url of the last row's sort key. A cursor that does
 * not decode to the expected shape is a 400, never a query with garbage in it.
 */
export const encodeCursor = (key: readonly (string | number)[]): string =>
  toBase64Url(utf8(JSON.stringify(key)))

export function decodeCursor<T extends z.ZodType>(
  cursor: string | undefined,
  shape: T,
): z.infer<T> | undefined {
  if (cursor === undefined) return undefined
  try {
    const json = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(fromBase64Url(cursor))
    const parsed = shape.safeParse(JSON.parse(json))
    if (parsed.success) return parsed.data
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError('validation_failed', 'The cursor is invalid.', {
    errors: [{ parameter: 'cursor', detail: 'not a cursor this API issued' }],
  })
}

export const page = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    })
    .meta({ id: name })

/**
 * Free-form JSON for clients, bounded: at most 4 KiB serialised, and no NUL anywhere (Postgres
 * jsonb refuses `\u0000`, which would otherwise surface as a 500).
 */
/**
 * OpenAPI metadata for a free-form object: the keys every body refuses (http/json-scan.ts), as JSON
 * Schema 2020-12 `propertyNames` (OpenAPI 3.1), which zod-to-openapi's metadata type does not list.
 */
export const refusesPrototypeKeys = { propertyNames: { not: { enum: [...PROTOTYPE_KEYS] } } } as object

export const MetadataInput = z
  // Values are whatever JSON.parse produced; z.json() would be exact but its recursion defeats the OpenAPI generator.
  .record(z.string().max(64), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 4096, 'must serialise to at most 4096 characters')
  .refine((value) => !JSON.stringify(value).includes('\\u0000'), 'must not contain NUL characters')
  .meta({
    description:
      'Free-form JSON object, at most 4 KiB serialised. Anywhere in it (as in any request body), the keys ' +
      '`__proto__`, `constructor` and `prototype` are refused, and so are NUL characters, lone surrogates ' +
      'and nesting deeper than 32 levels.',
    ...refusesPrototypeKeys,
  })

/**
 * The Idempotency-Key request header of progress writes, as documented; `idempotencyOf`
 * (progress/write/idempotency.ts) parses it, so a malformed key is a 400 naming the header.
 */
export const IdempotencyKeyHeader = z.object({
  // Declared for the document only: its optional string never fails, and idempotencyOf() parses it.
  'Idempotency-Key': z
    .string()
    .optional()
    .meta({
      param: { name: 'Idempotency-Key', in: 'header' },
      description:
        'Makes a retry safe. A quoted string or a token of 1–255 printable characters, kept 24 hours per ' +
        'learner: the same key with the same request replays the first answer (`Idempotent-Replayed: true`); ' +
        'with another method, path or body it is a 422; while the first request is still running, a 409. A ' +
        'malformed key is a 400.',
      pattern: '^(?:"[ !#-\\[\\]-~]{1,255}"|[A-Za-z0-9._~:+/=-]{1,255})$',
      example: '"5f0c2b0e-7d3a-4c1e-9a8e-2f1d3b4c5a6e"',
    }),
})

/** Submit's headers: the Idempotency-Key, and the token its start answered. */
export const SubmitHeaders = IdempotencyKeyHeader.extend({
  // Like the key, parsed by the route (progress/attempts/submit-token.ts): one that does not verify is ignored.
  'Submit-Token': z
    .string()
    .optional()
    .meta({
      param: { name: 'Submit-Token', in: 'header' },
      description:
        'The `Submit-Token` header of the start of this attempt. Optional: with it the submit costs one ' +
        'round trip instead of two when what it says is still current; without it, or with one that is ' +
        'expired or does not verify, the submit reads first. Not part of the Idempotency-Key ' +
        'fingerprint, so a retry with another token still replays.',
    }),
})

/** `?version=`: one of an activity's content versions (what it defaults to is the route's to say). */
export const versionQuery = (description: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    // A Postgres integer: a larger version is none, and must not reach the database as an overflow.
    .max(2_147_483_647)
    .optional()
    .meta({ param: { name: 'version', in: 'query' }, description })
