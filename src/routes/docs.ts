import { Hono } from 'hono'
import { DOCS_PAGE } from '../http/cache-control.ts'
import type { AppEnv } from '../types.ts'

/**
 * The interactive API reference (Scalar). Its script is a static asset of this Worker
 * (public/docs/scalar.js, copied from @scalar/api-reference by `npm install`), not a CDN: the page
 * works offline and tells no third party who reads the docs (its default web fonts, from Scalar's
 * servers, are turned off, and so are its buttons that only work on Scalar's hosted service: Ask
 * AI, MCP, the developer toolbar with Deploy). Its configuration is a JSON data block, which browsers
 * do not execute, so the page's CSP allows no inline script.
 */
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Learning progress API reference</title>
  </head>
  <body>
    <script id="api-reference" type="application/json" data-url="/openapi.json"
      data-configuration='{"withDefaultFonts":false,"defaultOpenAllTags":true,"agent":{"disabled":true},"mcp":{"disabled":true},"showDeveloperTools":"never"}'></script>
    <script src="/docs/scalar.js"></script>
  </body>
</html>`

/** What the reference page needs: its own script, the styles it injects, the document it fetches. */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

export const docs = new Hono<AppEnv>().get('/docs', function apiReference(c) {
  return c.html(page, 200, { ...DOCS_PAGE, 'Content-Security-Policy': DOCS_CSP })
})
