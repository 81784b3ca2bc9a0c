/**
 * `zod` for the deployed bundle only (wrangler.toml [alias]): zod's own entry point minus
 * `z.locales`, the 40 error-message translations (261 KiB) that ride along whenever the `z`
 * namespace is used as a value, as @hono/zod-openapi does. Messages stay English, as they were.
 * Tests and type checks use zod itself.
 */
import * as z from './zod-external.ts'

export * from './zod-external.ts'
export { z, z as default }
