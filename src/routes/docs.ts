import { Hono } from 'hono'
import { DOCS_PAGE } from '../http/cache-control.ts'
import type { AppEnv } from '../types.ts'

/**
 * The interactive API reference (Scalar). Its script is a static asset of this Worker
 * (public/docs/scalar.js, copied from @scalar/api-reference by `npm install`), not a CDN: the page
 * works offline and tells no third party who reads the docs.
 */
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Learning progress API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json"></script>
    <script src="/docs/scalar.js"></script>
  </body>
</html>`

export const docs = new Hono<AppEnv>().get('/docs', (c) => c.html(page, 200, DOCS_PAGE))
