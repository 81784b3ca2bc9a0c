/**
 * The OpenAPI document is the contract: every response the suite receives from a documented route
 * must have a status that route declares, a body valid against the schema declared for that status
 * and content type, and only the API headers declared for it. Checked by the helpers every test uses
 * (api(), callWorker()), so a route cannot answer anything its document does not say.
 */
import { Validator } from '@cfworker/json-schema'
import { openApiDocument } from '../src/openapi-document.ts'

type Schema = Record<string, unknown>
type Response = { headers?: Record<string, unknown>; content?: Record<string, { schema: Schema }> }
type Operation = { responses: Record<string, Response> }
type Document = { paths: Record<string, Record<string, Operation>>; components: Schema }

const document = JSON.parse(JSON.stringify(openApiDocument())) as Document

/** Path templates as patterns, the most literal first (fewer parameters win). */
const templates = Object.keys(document.paths)
  .map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }))
  .sort((a, b) => a.params - b.params)

/** Headers this API sets on purpose: a response that carries one must declare it. */
const API_HEADERS = [
  'location',
  'set-cookie',
  'retry-after',
  'www-authenticate',
  'idempotent-replayed',
  'etag',
  'x-cache',
  'content-disposition',
  'link',
]

const validators = new Map<Schema, Validator>()
function validatorFor(schema: Schema) {
  let validator = validators.get(schema)
  if (!validator) {
    // $refs point at #/components/…: resolve them inside one root that carries the components.
    validator = new Validator({ ...schema, components: document.components } as never, '2020-12', false)
    validators.set(schema, validator)
  }
  return validator
}

/** The documented operation a request reached, if its path is documented at all. */
export function operationFor(
  method: string,
  url: string,
): { route: string; operation?: Operation } | undefined {
  const path = new URL(url).pathname
  const match = templates.find(({ pattern }) => pattern.test(path))
  if (!match) return undefined
  const operation = document.paths[match.template]?.[method.toLowerCase()]
  return { route: `${method} ${match.template}`, operation }
}

/** Throws when the response is not what the document says the route answers. */
export async function checkContract(method: string, url: string, response: Response | globalThis.Response) {
  const res = response as globalThis.Response
  const found = operationFor(method, url)
  if (!found?.operation) return // undocumented paths (/docs, unknown routes) answer the generic 404
  const { route, operation } = found
  const declared = operation.responses[String(res.status)]
  if (!declared) {
    throw new Error(
      `${route} answered ${res.status}, which it does not declare (${Object.keys(operation.responses).join(', ')})`,
    )
  }
  const allowed = new Set(Object.keys(declared.headers ?? {}).map((name) => name.toLowerCase()))
  for (const [name, header] of Object.entries(declared.headers ?? {})) {
    if ((header as { required?: boolean }).required && !res.headers.has(name)) {
      throw new Error(`${route} ${res.status} did not send ${name}, which its declaration requires`)
    }
  }
  for (const name of API_HEADERS) {
    if (res.headers.has(name) && !allowed.has(name)) {
      throw new Error(`${route} ${res.status} sent ${name}, which its declaration does not list`)
    }
  }
  const text = await res.clone().text()
  const type = res.headers.get('content-type')?.split(';')[0]?.trim()
  if (!declared.content) {
    if (text !== '') throw new Error(`${route} ${res.status} has a body, but declares none`)
    return
  }
  const media = type && declared.content[type]
  if (!media)
    throw new Error(
      `${route} ${res.status} sent ${type}, but declares ${Object.keys(declared.content).join(', ')}`,
    )
  // JSON media types are parsed; any other (text/csv) is its text, validated as a string.
  const body = /[/+]json$/.test(type) ? JSON.parse(text) : text
  const result = validatorFor(media.schema).validate(body)
  if (!result.valid) {
    const errors = result.errors.map((e) => `${e.instanceLocation}: ${e.error}`).join('; ')
    throw new Error(`${route} ${res.status} body does not match its schema: ${errors}\n${text.slice(0, 500)}`)
  }
}
