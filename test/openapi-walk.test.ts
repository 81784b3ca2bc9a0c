/**
 * A schema-driven tester, from the API's own document: every operation gets requests generated from
 * its declared parameters and body — valid ones, and ones broken in exactly one place — and every
 * answer must be a status the operation declares, with a body valid against its schema (api() checks
 * that). Broken requests must be refused with a 400 whose errors name what was broken; valid ones
 * may be refused only for what JSON Schema cannot state (listed below, each with its reason).
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { openApiDocument } from '../src/openapi-document.ts'
import { arbitraryFor, type Schema } from './arbitraries.ts'
import { ADMIN_TOKEN, api, newLearner, testDb } from './helpers.ts'
import { buildPracticeCatalogue, PRACTICE } from './practice-catalogue.ts'

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema }
type Operation = {
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: Schema }> }
  security?: Record<string, string[]>[]
}
const document = JSON.parse(JSON.stringify(openApiDocument())) as {
  paths: Record<string, Record<string, Operation>>
  components: Schema
}
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
)

/**
 * Valid per the document, refused by rules JSON Schema cannot state: which question and choice ids an
 * activity has, an answer key among its choices, BKT parameters whose slip and guess sum below 1, a
 * passkey credential (only an authenticator holding the key can make one that verifies), a catalogue
 * document's unique ids, prerequisites within it and without cycles.
 */
const REFUSES_BEYOND_THE_SCHEMA = new Set([
  'POST /v1/me/passkeys',
  'POST /v1/session/passkey',
  'POST /v1/attempts/{attemptId}/submit',
  'POST /v1/admin/activities',
  'PATCH /v1/admin/activities/{activityId}',
  'POST /v1/admin/skills',
  'PATCH /v1/admin/skills/{skillId}',
  'POST /v1/admin/catalogue/import',
])

/** Path ids: now and then one that exists, so that requests get past the 404s too. */
const knownIds: Record<string, string[]> = {
  skillId: Object.values(PRACTICE.skills),
  unitId: Object.values(PRACTICE.units),
  activityId: Object.values(PRACTICE.activities),
}
const pathValue = (name: string) =>
  fc.oneof(fc.uuid(), fc.constantFrom(...(knownIds[name] ?? [crypto.randomUUID()])))

type Generated = { path: Record<string, string>; query: Record<string, string>; body?: unknown }

function validRequest(operation: Operation): fc.Arbitrary<Generated> {
  const parameters = operation.parameters ?? []
  const path = Object.fromEntries(
    parameters.filter((p) => p.in === 'path').map((p) => [p.name, pathValue(p.name)]),
  )
  // A cursor is opaque (only a page's nextCursor is one): valid requests start from the first page.
  const query = Object.fromEntries(
    parameters
      .filter((p) => p.in === 'query' && p.name !== 'cursor')
      .map((p) => {
        const value = arbitraryFor(p.schema, document.components).map(String)
        return [p.name, p.required ? value : fc.option(value, { nil: undefined })]
      }),
  )
  const schema = bodySchemaOf(operation)
  return fc.record({
    path: fc.record(path) as fc.Arbitrary<Record<string, string>>,
    query: fc
      .record(query)
      .map(
        (q) =>
          Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string>,
      ),
    body: schema ? arbitraryFor(schema, document.components) : fc.constant(undefined),
  })
}

/** One thing broken: a path id, a query value, or the body (a type, a required property, an unknown key). */
function breakOne(
  request: Generated,
  operation: Operation,
): fc.Arbitrary<{ request: Generated; broke: string }> {
  const breaks: fc.Arbitrary<{ request: Generated; broke: string }>[] = []
  for (const name of Object.keys(request.path)) {
    breaks.push(
      fc.constantFrom('not-a-uuid', '123', 'x'.repeat(37)).map((bad) => ({
        request: { ...request, path: { ...request.path, [name]: bad } },
        broke: name,
      })),
    )
  }
  for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'query')) {
    const bad =
      parameter.name === 'limit'
        ? ['0', '101', 'ten']
        : parameter.name === 'cursor'
          ? ['not-a-cursor']
          : ['?!']
    if (
      parameter.schema.format === 'uuid' ||
      parameter.schema.enum ||
      parameter.name === 'limit' ||
      parameter.name === 'cursor'
    ) {
      breaks.push(
        fc.constantFrom(...bad).map((value) => ({
          request: { ...request, query: { ...request.query, [parameter.name]: value } },
          broke: parameter.name,
        })),
      )
    }
  }
  const schema = resolve(bodySchemaOf(operation) ?? {})
  if (request.body && typeof request.body === 'object') {
    const body = request.body as Record<string, unknown>
    // A form's fields are all text, and extra ones are ignored: only a missing one breaks it.
    if (isForm(operation)) {
      for (const key of (schema.required ?? []) as string[]) {
        const { [key]: _, ...rest } = body
        breaks.push(fc.constant({ request: { ...request, body: rest }, broke: key }))
      }
      return breaks.length === 0 ? fc.constant({ request, broke: '' }) : fc.oneof(...breaks)
    }
    breaks.push(
      fc.constant({ request: { ...request, body: { ...body, unexpectedKey: 1 } }, broke: 'unexpectedKey' }),
    )
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const key of Object.keys(body)) {
      const wrong = wrongTypeFor(resolve(properties[key] ?? {}))
      breaks.push(fc.constant({ request: { ...request, body: { ...body, [key]: wrong } }, broke: key }))
    }
    for (const key of (schema.required ?? []) as string[]) {
      const { [key]: _, ...rest } = body
      breaks.push(fc.constant({ request: { ...request, body: rest }, broke: key }))
    }
  }
  return breaks.length === 0 ? fc.constant({ request, broke: '' }) : fc.oneof(...breaks)
}

function resolve(schema: Schema): Schema {
  const ref = schema.$ref as string | undefined
  if (!ref) return schema
  return (
    (document.components.schemas as Record<string, Schema>)[ref.replace('#/components/schemas/', '')] ?? {}
  )
}

/** A value of a type the property does not take (never null, which a nullable property takes). */
function wrongTypeFor(schema: Schema): unknown {
  const types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type])
  if (types.has('object') || schema.oneOf || schema.anyOf) return 42
  if (types.has('string')) return 42
  if (types.has('number') || types.has('integer')) return 'forty-two'
  if (types.has('boolean')) return 'yes'
  return { not: 'this' }
}

const FORM = 'application/x-www-form-urlencoded'

/** LTI's platforms post forms; every other body is JSON. */
const isForm = (operation: Operation) => operation.requestBody?.content[FORM] !== undefined

const bodySchemaOf = (operation: Operation) =>
  operation.requestBody?.content['application/json']?.schema ?? operation.requestBody?.content[FORM]?.schema

async function send(method: string, template: string, operation: Operation, request: Generated) {
  const url = template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(request.path[name] ?? ''),
  )
  const query = new URLSearchParams(request.query).toString()
  const headers: Record<string, string> = {}
  const scheme = Object.keys(operation.security?.find((s) => Object.keys(s).length > 0) ?? {})[0]
  if (scheme === 'sessionCookie') headers.Cookie = (await newLearner()).cookie
  if (scheme === 'adminToken') headers.Authorization = `Bearer ${ADMIN_TOKEN}`
  let body: string | undefined
  if (request.body !== undefined && isForm(operation)) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded'
    const fields = Object.entries(request.body as Record<string, unknown>).map(([k, v]) => [k, String(v)])
    body = new URLSearchParams(fields).toString()
  } else if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(request.body)
  }
  // Redirects are answers to check, not to follow (LTI's login and launch answer 302 and 303).
  return api(`${url}${query ? `?${query}` : ''}`, { method, headers, body, redirect: 'manual' })
}

const RUNS = 12
const tally = { valid: 0, refusedBeyondSchema: 0, broken: 0 }

beforeAll(async () => {
  await buildPracticeCatalogue(testDb())
})

describe('every operation of the OpenAPI document, driven by its own schemas', () => {
  for (const { method, path, operation } of operations) {
    const route = `${method} ${path}`
    it(`${route}: valid requests get declared answers; broken ones a 400 naming what broke`, async () => {
      await fc.assert(
        fc.asyncProperty(validRequest(operation), async (request) => {
          const res = await send(method, path, operation, request)
          tally.valid++
          if (res.status === 400) {
            const text = await res.text()
            expect(REFUSES_BEYOND_THE_SCHEMA.has(route), `${route} refused a valid request: ${text}`).toBe(
              true,
            )
            tally.refusedBeyondSchema++
          }
          expect(res.status, route).toBeLessThan(500)
        }),
        { numRuns: RUNS },
      )
      await fc.assert(
        fc.asyncProperty(
          validRequest(operation).chain((request) => breakOne(request, operation)),
          async ({ request, broke }) => {
            if (!broke) return
            const res = await send(method, path, operation, request)
            tally.broken++
            const text = await res.text()
            expect(res.status, `${route} with ${broke} broken: ${text}`).toBe(400)
            const problem = JSON.parse(text) as { errors?: { pointer?: string; parameter?: string }[] }
            const named = (problem.errors ?? []).map((e) => e.pointer ?? e.parameter ?? '')
            expect(
              named.some((where) => where.includes(broke) || where === '#'),
              `${route}: ${text}`,
            ).toBe(true)
          },
        ),
        { numRuns: RUNS },
      )
    })
  }

  it('covered every operation', () => {
    expect(operations.length).toBeGreaterThan(25)
    console.info(`openapi walk: ${JSON.stringify(tally)} over ${operations.length} operations`)
  })
})
