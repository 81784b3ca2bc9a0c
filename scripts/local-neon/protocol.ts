/**
 * The parts of Neon's SQL-over-HTTP protocol that do not depend on the backend: reading a request,
 * shaping results and errors the way the proxy does.
 * @see docs/neon-http-protocol.md
 */

export type FieldDescription = {
  name: string
  tableID: number
  columnID: number
  dataTypeID: number
  dataTypeSize: number
  dataTypeModifier: number
  format: 'text'
}

/** What a backend returns for one statement: every value still in Postgres text format. */
export type StatementResult = {
  command: string
  rowCount: number | null
  fields: FieldDescription[]
  rows: (string | null)[][]
}

export type Statement = { query: string; params: (string | null)[]; arrayMode?: boolean }

export type TransactionOptions = {
  isolationLevel?: 'SERIALIZABLE' | 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ'
  readOnly?: boolean
  deferrable?: boolean
}

/** A Postgres error as the proxy reports it: HTTP 400 with every field the driver copies. */
const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const

export type PostgresError = Error & Partial<Record<(typeof ERROR_FIELDS)[number], string>>

/** A request the endpoint refuses before it reaches Postgres (the proxy's 400s). */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

export type ParsedRequest = {
  statements: Statement[]
  /** null for a single query (autocommit), the batch options for a `queries` body. */
  transaction: TransactionOptions | null
  arrayMode: boolean
  rawTextOutput: boolean
}

const ISOLATION_LEVELS: Record<string, TransactionOptions['isolationLevel']> = {
  Serializable: 'SERIALIZABLE',
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
}

/** As the proxy reads them: a header is true when it is exactly `true`, and false otherwise. */
function booleanHeader(headers: Headers, name: string): boolean | undefined {
  const value = headers.get(name)
  if (value === null) return undefined
  return value === 'true'
}

/** An element of a Postgres array literal: NULL, or a double-quoted string with `"` and `\` escaped. */
function arrayElement(value: unknown): string {
  if (value === null) return 'NULL'
  if (Array.isArray(value)) return arrayLiteral(value)
  const text =
    typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`
}

const arrayLiteral = (values: unknown[]): string => `{${values.map(arrayElement).join(',')}}`

/**
 * Non-string JSON params become their text form, as the proxy does: numbers and booleans as
 * written, arrays as Postgres array literals (`{"a","b"}`), objects as JSON.
 */
function toTextParam(value: unknown): string | null {
  if (value === null) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return arrayLiteral(value)
  return JSON.stringify(value)
}

function parseStatement(value: unknown): Statement {
  if (typeof value !== 'object' || value === null) throw new ProtocolError('query must be an object')
  const { query, params = [], arrayMode } = value as Record<string, unknown>
  if (typeof query !== 'string') throw new ProtocolError('query must be a string')
  if (!Array.isArray(params)) throw new ProtocolError('params must be an array')
  if (arrayMode !== undefined && typeof arrayMode !== 'boolean') {
    throw new ProtocolError('arrayMode must be a boolean')
  }
  return { query, params: params.map(toTextParam), arrayMode }
}

export function parseRequest(headers: Headers, body: string): ParsedRequest {
  if (!headers.get('neon-connection-string')) {
    throw new ProtocolError('missing connection string')
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new ProtocolError('request body is not valid JSON')
  }
  if (typeof json !== 'object' || json === null) throw new ProtocolError('invalid request body')
  const arrayMode = booleanHeader(headers, 'neon-array-mode') ?? false
  const rawTextOutput = booleanHeader(headers, 'neon-raw-text-output') ?? false

  // Checked on a single query too, as the proxy does, though only a batch uses it.
  const level = headers.get('neon-batch-isolation-level')
  const isolationLevel =
    level === null || !Object.hasOwn(ISOLATION_LEVELS, level) ? undefined : ISOLATION_LEVELS[level]
  if (level !== null && !isolationLevel) throw new ProtocolError('invalid isolation level')
  if (!('queries' in json)) {
    return { statements: [parseStatement(json)], transaction: null, arrayMode, rawTextOutput }
  }
  const { queries } = json as { queries: unknown }
  if (!Array.isArray(queries)) throw new ProtocolError('queries must be an array')
  return {
    statements: queries.map(parseStatement),
    transaction: {
      isolationLevel,
      readOnly: booleanHeader(headers, 'neon-batch-read-only'),
      deferrable: booleanHeader(headers, 'neon-batch-deferrable'),
    },
    arrayMode,
    rawTextOutput,
  }
}

export function beginStatement({ isolationLevel, readOnly, deferrable }: TransactionOptions) {
  const modes = [
    isolationLevel && `ISOLATION LEVEL ${isolationLevel}`,
    readOnly !== undefined && (readOnly ? 'READ ONLY' : 'READ WRITE'),
    deferrable !== undefined && (deferrable ? 'DEFERRABLE' : 'NOT DEFERRABLE'),
  ].filter(Boolean)
  return ['BEGIN', modes.join(', ')].filter(Boolean).join(' ')
}

/** `INSERT 0 5` → INSERT/5, `SELECT 3` → SELECT/3, `CREATE TABLE` → CREATE/null (proxy: parse_command_tag). */
export function parseCommandTag(tag: string): { command: string; rowCount: number | null } {
  const words = tag.trim().split(/\s+/)
  const last = words[words.length - 1] ?? ''
  return { command: words[0] ?? '', rowCount: /^\d+$/.test(last) ? Number(last) : null }
}

const NUMBER_TYPES = new Set([21, 23, 26, 700, 701]) // int2, int4, oid, float4, float8
const JSON_TYPES = new Set([114, 3802])

/** Without `Neon-Raw-Text-Output: true` the proxy sends JSON-native values; the driver never asks for this. */
function toJsonValue(value: string | null, dataTypeID: number): unknown {
  if (value === null) return null
  if (dataTypeID === 16) return value === 't'
  if (NUMBER_TYPES.has(dataTypeID)) return Number(value)
  if (JSON_TYPES.has(dataTypeID)) return JSON.parse(value)
  return value
}

export function shapeResult(result: StatementResult, arrayMode: boolean, rawTextOutput: boolean) {
  const { fields } = result
  const values = rawTextOutput
    ? result.rows
    : result.rows.map((row) => row.map((value, i) => toJsonValue(value, fields[i]?.dataTypeID ?? 0)))
  const rows = arrayMode
    ? values
    : values.map((row) => Object.fromEntries(row.map((value, i) => [fields[i]?.name, value])))
  return {
    command: result.command,
    rowCount: result.rowCount,
    rowAsArray: arrayMode,
    fields,
    rows,
  }
}

export function isPostgresError(error: unknown): error is PostgresError {
  return error instanceof Error && typeof (error as PostgresError).code === 'string'
}

export function shapeError(error: PostgresError) {
  const body: Record<string, string | null> = { message: error.message }
  for (const field of ERROR_FIELDS) body[field] = error[field] ?? null
  return body
}
