/**
 * `npm run openapi`: writes the API's OpenAPI 3.1 document to public/openapi.json, where the
 * Worker's static assets serve it as /openapi.json. `npm run dev` runs it on start; commit the
 * result (test/openapi.test.ts fails when it is stale).
 */
import { writeFileSync } from 'node:fs'
import { expectWritten, isMain } from './lib/main.ts'

const OPENAPI_FILE = 'public/openapi.json'

// Imported by path at run time: src/ is type-checked against the Workers runtime's types, the
// scripts against Node's, and this script needs nothing of src/ but a JSON value.
const generator = new URL('../src/openapi-document.ts', import.meta.url).href

export async function writeOpenApiDocument() {
  const started = Date.now()
  const { openApiDocument } = (await import(generator)) as { openApiDocument: () => unknown }
  writeFileSync(OPENAPI_FILE, `${JSON.stringify(openApiDocument(), null, 2)}\n`)
  expectWritten([OPENAPI_FILE], started)
}

if (isMain(import.meta.url)) {
  await writeOpenApiDocument()
  console.log(`Wrote ${OPENAPI_FILE}.`)
}
