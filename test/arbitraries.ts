/**
 * fast-check arbitraries from the OpenAPI document's JSON Schemas: values a client generated from
 * /openapi.json would consider valid. Covers the keywords the document uses ($ref, type and
 * nullable type lists, enum, formats uuid and date-time, pattern, lengths, ranges, properties,
 * required, additionalProperties, propertyNames, items, oneOf/anyOf/allOf). Strings are drawn from
 * letters, digits and spaces inside, so that what the schema language cannot say (text is trimmed,
 * no NUL) does not decide the outcome.
 */
import fc from 'fast-check'

export type Schema = Record<string, unknown>

const word = fc.stringMatching(/^[A-Za-z0-9]+( [A-Za-z0-9]+)?$/)

export function arbitraryFor(schema: Schema, components: Schema, depth = 0): fc.Arbitrary<unknown> {
  const ref = schema.$ref as string | undefined
  if (ref) {
    const name = ref.replace('#/components/schemas/', '')
    return arbitraryFor((components.schemas as Record<string, Schema>)[name] as Schema, components, depth)
  }
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]))
  const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined
  if (variants) return fc.oneof(...variants.map((variant) => arbitraryFor(variant, components, depth)))
  if (schema.allOf) return arbitraryFor(Object.assign({}, ...(schema.allOf as Schema[])), components, depth)
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
  const nonNull = types.filter((type) => type !== 'null')
  const value = typed(nonNull[0], schema, components, depth)
  return types.includes('null') ? fc.oneof(value, fc.constant(null)) : value
}

function typed(
  type: string | undefined,
  schema: Schema,
  components: Schema,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return string(schema)
    case 'integer':
      return fc.integer({ min: (schema.minimum as number) ?? -1000, max: (schema.maximum as number) ?? 1000 })
    case 'number':
      return fc.double({
        min: (schema.minimum as number) ?? -1000,
        max: (schema.maximum as number) ?? 1000,
        noNaN: true,
        noDefaultInfinity: true,
      })
    case 'boolean':
      return fc.boolean()
    case 'array':
      return fc.array(arbitraryFor(schema.items as Schema, components, depth + 1), {
        minLength: (schema.minItems as number) ?? 0,
        maxLength: Math.min((schema.maxItems as number) ?? 3, 3),
      })
    case 'object':
      return object(schema, components, depth)
    default:
      // Any JSON but the keys every body refuses wherever they are (src/http/json-scan.ts).
      return fc
        .jsonValue({ maxDepth: 1 })
        .filter((value) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(value)))
  }
}

function string(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid()
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString())
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern as string))
  const min = (schema.minLength as number) ?? 0
  const max = Math.min((schema.maxLength as number) ?? 40, 40)
  return word.filter((text) => text.length >= min && text.length <= max)
}

function object(schema: Schema, components: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const required = new Set((schema.required ?? []) as string[])
  const entries = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      arbitraryFor(property, components, depth + 1),
    ]),
  )
  const known = fc.record(entries, { requiredKeys: [...required] })
  const extra = schema.additionalProperties
  if (!extra || typeof extra !== 'object' || depth > 3) return minimal(known, schema)
  const names = (schema.propertyNames ?? {}) as { pattern?: string; not?: { enum?: string[] } }
  const refused = new Set(names.not?.enum ?? [])
  const key = (names.pattern ? fc.stringMatching(new RegExp(names.pattern)) : word).filter(
    (k) => !refused.has(k),
  )
  const free = fc.dictionary(key, arbitraryFor(extra as Schema, components, depth + 1), { maxKeys: 3 })
  return minimal(
    fc.tuple(known, free).map(([fixed, rest]) => ({ ...rest, ...fixed })),
    schema,
  )
}

/** `minProperties`: an object with fewer properties gets one of its optional ones back. */
function minimal(arbitrary: fc.Arbitrary<Record<string, unknown>>, schema: Schema) {
  const min = (schema.minProperties as number) ?? 0
  return min === 0 ? arbitrary : arbitrary.filter((value) => Object.keys(value).length >= min)
}
