/**
 * `npm run openapi:diff`: what in public/openapi.json would break a client built from the last
 * released document (docs/openapi/<version>.json). A change breaks a client when a request it sends
 * may now be refused, or a response it handles may now surprise it:
 *
 * - an operation removed; a new 2xx status (a success the client has never seen);
 * - a request that asks for more: a new required parameter or body property, a value no longer
 *   taken (an enum value, a narrower range or length, a new pattern or type), a new credential;
 * - a response that gives less or other: a property removed or no longer required, a type widened
 *   (null where there was none), an enum value added.
 *
 * Schemas are compared as a client meets them, `$ref`s followed and `allOf` merged: how the document
 * is factored into components is not part of the contract.
 *
 * test/node/changelog.test.ts fails unless CHANGELOG.md's Unreleased "Breaking" section names every
 * operation (or schema) this finds.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { isMain } from './lib/main.ts'

type Schema = Record<string, unknown>
type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>
  security?: Record<string, string[]>[]
}
export type OpenApi = {
  info: { version: string }
  paths: Record<string, Record<string, Operation>>
  components: Schema
}
export type BreakingChange = { where: string; change: string }

const RELEASES = 'docs/openapi'

/** The last released document: the highest version in docs/openapi/. */
export function lastRelease(): OpenApi {
  const versions = readdirSync(RELEASES)
    .filter((name) => /^\d+\.\d+\.\d+\.json$/.test(name))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  const latest = versions.at(-1)
  if (!latest) throw new Error(`No released document in ${RELEASES}/`)
  return JSON.parse(readFileSync(`${RELEASES}/${latest}`, 'utf8')) as OpenApi
}

/** A schema's alternatives: the members of its anyOf/oneOf, or itself. */
const variantsOf = (doc: OpenApi, schema: Schema): Schema[] => {
  const members = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  return members ? members.map((member) => resolved(doc, member)) : [schema]
}

/** The JSON types a schema allows, through its alternatives. */
const typesOf = (doc: OpenApi, schema: Schema) =>
  new Set(
    variantsOf(doc, schema).flatMap((variant) =>
      variant.type === undefined ? [] : Array.isArray(variant.type) ? variant.type : [variant.type],
    ),
  )

/** A variant's discriminating value: the one-value enum (or const) of its `kind` or `type` property. */
function tagOf(variant: Schema): string | undefined {
  const properties = (variant.properties ?? {}) as Record<string, Schema>
  for (const name of ['kind', 'type', 'status']) {
    const property = properties[name]
    if (property?.const !== undefined) return `${name}=${property.const}`
    if (Array.isArray(property?.enum) && property.enum.length === 1) return `${name}=${property.enum[0]}`
  }
  return undefined
}

/**
 * The alternatives of two versions of a schema that correspond: by their discriminating value, or by
 * position when neither side is discriminated and both have as many; nothing for a plain schema.
 */
function pairedVariants(oldDoc: OpenApi, newDoc: OpenApi, a: Schema, b: Schema): [Schema, Schema][] {
  const [before, after] = [variantsOf(oldDoc, a), variantsOf(newDoc, b)]
  if (before.length === 1 && after.length === 1) return []
  const tags = after.map(tagOf)
  if (tags.every((tag) => tag !== undefined))
    return before.flatMap((variant) => {
      const match = after[tags.indexOf(tagOf(variant) as string)]
      return match ? [[variant, match] as [Schema, Schema]] : []
    })
  return before.length === after.length ? before.map((variant, i) => [variant, after[i] as Schema]) : []
}

const flattened = new WeakMap<object, Schema>()

/**
 * The schema as a client meets it: `$ref`s followed and `allOf` members merged into one object
 * (properties and `required` united), so moving fields into a shared component, or out of one,
 * changes nothing here. The same input gives the same object, which keeps the walks' cycle checks
 * working through recursive schemas.
 */
function resolved(doc: OpenApi, schema: Schema | undefined): Schema {
  if (!schema) return {}
  const ref = schema.$ref as string | undefined
  if (ref) {
    const target = (doc.components.schemas as Record<string, Schema>)[ref.split('/').at(-1) ?? '']
    return target ? resolved(doc, target) : {}
  }
  if (!Array.isArray(schema.allOf)) return schema
  const cached = flattened.get(schema)
  if (cached) return cached
  const { allOf, ...own } = schema
  const merged: Schema = { ...own }
  flattened.set(schema, merged)
  for (const member of [own, ...(allOf as Schema[]).map((part) => resolved(doc, part))]) {
    const { properties, required, ...rest } = member
    Object.assign(merged, rest)
    if (properties) merged.properties = { ...(merged.properties as Schema | undefined), ...properties }
    if (required)
      merged.required = [...new Set([...((merged.required as string[]) ?? []), ...(required as string[])])]
  }
  return merged
}

/** Where a request schema (old → new) now refuses what it took. */
function narrowed(
  oldDoc: OpenApi,
  newDoc: OpenApi,
  before: Schema,
  after: Schema,
  at: string,
  out: string[],
  seen = new Set<Schema>(),
) {
  const a = resolved(oldDoc, before)
  const b = resolved(newDoc, after)
  if (seen.has(a)) return
  seen.add(a)
  const [oldTypes, newTypes] = [typesOf(oldDoc, a), typesOf(newDoc, b)]
  for (const [x, y] of pairedVariants(oldDoc, newDoc, a, b)) narrowed(oldDoc, newDoc, x, y, at, out, seen)
  if (
    newTypes.size > 0 &&
    [...oldTypes].some((type) => !newTypes.has(type) && !(type === 'integer' && newTypes.has('number')))
  ) {
    out.push(`${at}: takes ${[...newTypes].join('|')}, not ${[...oldTypes].join('|')}`)
  }
  if (Array.isArray(a.enum) && Array.isArray(b.enum)) {
    const gone = a.enum.filter((value) => !(b.enum as unknown[]).includes(value))
    if (gone.length) out.push(`${at}: no longer takes ${gone.join(', ')}`)
  }
  for (const [key, tighter] of [
    ['minimum', (x: number, y: number) => y > x],
    ['minLength', (x: number, y: number) => y > x],
    ['minItems', (x: number, y: number) => y > x],
    ['minProperties', (x: number, y: number) => y > x],
    ['maximum', (x: number, y: number) => y < x],
    ['maxLength', (x: number, y: number) => y < x],
    ['maxItems', (x: number, y: number) => y < x],
    ['maxProperties', (x: number, y: number) => y < x],
  ] as const) {
    const [x, y] = [a[key] as number | undefined, b[key] as number | undefined]
    if (y !== undefined && (x === undefined || tighter(x, y))) out.push(`${at}: ${key} ${x ?? 'none'} → ${y}`)
  }
  if (b.pattern && b.pattern !== a.pattern) out.push(`${at}: must match ${b.pattern}`)
  const [oldNames, newNames] = [a.propertyNames as Schema | undefined, b.propertyNames as Schema | undefined]
  if (newNames && JSON.stringify(newNames) !== JSON.stringify(oldNames)) {
    out.push(`${at}: keys must satisfy ${JSON.stringify(newNames)}`)
  }
  const oldRequired = new Set((a.required ?? []) as string[])
  for (const name of (b.required ?? []) as string[])
    if (!oldRequired.has(name)) out.push(`${at}.${name}: now required`)
  const oldProps = (a.properties ?? {}) as Record<string, Schema>
  const newProps = (b.properties ?? {}) as Record<string, Schema>
  for (const [name, schema] of Object.entries(oldProps)) {
    const next = newProps[name]
    if (next) narrowed(oldDoc, newDoc, schema, next, `${at}.${name}`, out, seen)
    else if (b.additionalProperties === false) out.push(`${at}.${name}: no longer taken`)
  }
  if (a.items && b.items) narrowed(oldDoc, newDoc, a.items as Schema, b.items as Schema, `${at}[]`, out, seen)
}

/** Where a response schema (old → new) now gives less or other than it did. */
function changedResponse(
  oldDoc: OpenApi,
  newDoc: OpenApi,
  before: Schema,
  after: Schema,
  at: string,
  out: string[],
  seen = new Set<Schema>(),
) {
  const a = resolved(oldDoc, before)
  const b = resolved(newDoc, after)
  if (seen.has(a)) return
  seen.add(a)
  const [oldTypes, newTypes] = [typesOf(oldDoc, a), typesOf(newDoc, b)]
  for (const [x, y] of pairedVariants(oldDoc, newDoc, a, b))
    changedResponse(oldDoc, newDoc, x, y, at, out, seen)
  const added = [...newTypes].filter((type) => !oldTypes.has(type))
  if (oldTypes.size > 0 && added.length) out.push(`${at}: may now be ${added.join('|')}`)
  if (Array.isArray(a.enum) && Array.isArray(b.enum)) {
    const fresh = b.enum.filter((value) => !(a.enum as unknown[]).includes(value))
    if (fresh.length) out.push(`${at}: may now be ${fresh.join(', ')}`)
  }
  const newRequired = new Set((b.required ?? []) as string[])
  for (const name of (a.required ?? []) as string[])
    if (!newRequired.has(name)) out.push(`${at}.${name}: no longer always there`)
  const newProps = (b.properties ?? {}) as Record<string, Schema>
  for (const [name, schema] of Object.entries((a.properties ?? {}) as Record<string, Schema>)) {
    const next = newProps[name]
    if (next) changedResponse(oldDoc, newDoc, schema, next, `${at}.${name}`, out, seen)
    else out.push(`${at}.${name}: removed`)
  }
  if (a.items && b.items)
    changedResponse(oldDoc, newDoc, a.items as Schema, b.items as Schema, `${at}[]`, out, seen)
}

const jsonSchema = (content: Record<string, { schema: Schema }> | undefined) =>
  content?.['application/json']?.schema

export function breakingChanges(oldDoc: OpenApi, newDoc: OpenApi): BreakingChange[] {
  const found: BreakingChange[] = []
  for (const [path, methods] of Object.entries(oldDoc.paths)) {
    for (const [method, before] of Object.entries(methods)) {
      const where = `${method.toUpperCase()} ${path}`
      const after = newDoc.paths[path]?.[method]
      if (!after) {
        found.push({ where, change: 'removed' })
        continue
      }
      const changes: string[] = []
      const oldParams = new Map((before.parameters ?? []).map((p) => [`${p.in}:${p.name}`, p]))
      for (const parameter of after.parameters ?? []) {
        const old = oldParams.get(`${parameter.in}:${parameter.name}`)
        if (!old && parameter.required)
          changes.push(`${parameter.in} parameter ${parameter.name}: new and required`)
        if (old)
          narrowed(oldDoc, newDoc, old.schema, parameter.schema, `${parameter.in} ${parameter.name}`, changes)
      }
      if (after.requestBody?.required && !before.requestBody?.required) changes.push('body: now required')
      const [oldBody, newBody] = [
        jsonSchema(before.requestBody?.content),
        jsonSchema(after.requestBody?.content),
      ]
      if (oldBody && newBody) narrowed(oldDoc, newDoc, oldBody, newBody, 'body', changes)
      const hadCredential =
        (before.security ?? []).every((s) => Object.keys(s).length > 0) && before.security?.length
      const needsCredential =
        (after.security ?? []).every((s) => Object.keys(s).length > 0) && after.security?.length
      if (needsCredential && !hadCredential)
        changes.push(`now requires ${after.security?.map((s) => Object.keys(s)).join(' or ')}`)
      for (const status of Object.keys(after.responses)) {
        if (status.startsWith('2') && !before.responses[status])
          changes.push(`answers ${status}, a new success`)
      }
      for (const [status, response] of Object.entries(before.responses)) {
        const next = after.responses[status]
        const [a, b] = [jsonSchema(response.content), jsonSchema(next?.content)]
        if (status.startsWith('2') && !next) changes.push(`no longer answers ${status}`)
        if (a && b) changedResponse(oldDoc, newDoc, a, b, `${status} body`, changes)
      }
      for (const change of changes) found.push({ where, change })
    }
  }
  return found
}

if (isMain(import.meta.url)) {
  const release = lastRelease()
  const current = JSON.parse(readFileSync('public/openapi.json', 'utf8')) as OpenApi
  const changes = breakingChanges(release, current)
  console.log(`Breaking changes since ${release.info.version}: ${changes.length}`)
  for (const { where, change } of changes) console.log(`  ${where}: ${change}`)
}
