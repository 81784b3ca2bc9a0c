/**
 * `zod` for the deployed bundle only (wrangler.toml [alias]): zod's own entry point minus
 * `z.locales` (40 error-message translations, 261 KiB) and the JSON Schema and compile APIs, which
 * nothing here calls but which ride along whenever the `z` namespace is used as a value, as
 * @hono/zod-openapi does. Messages stay English, as they were. Tests and type checks use zod itself;
 * `npm run bench` and `npm run load-test` run this bundle. Revisit on a zod upgrade.
 */
import * as z from './zod-external.ts'

export * from './zod-external.ts'
export { z, z as default }
