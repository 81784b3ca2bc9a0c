/**
 * `zod` for the deployed bundle only (wrangler.toml [alias]). Tests and type checks use zod itself;
 * `npm run bench`, `npm run load-test` and the browser tests run this bundle.
 *
 * Two things keep zod's whole API in a bundle that uses a fraction of it:
 * - its entry point carries `z.locales` (40 error-message translations, 261 KiB) and the JSON
 *   Schema and compile APIs: zod-external.ts is that entry point without them;
 * - @hono/zod-openapi hands the `z` namespace to zod-to-openapi as a value, so every export rides
 *   along. Here `z` is an object with the members this code base calls (test/lean-zod.test.ts
 *   checks it against src/), and the rest tree-shakes away.
 * Messages stay English, as they were. Revisit on a zod upgrade.
 */
import * as zod from './zod-external.ts'

export * from './zod-external.ts'

const z = {
  ZodType: zod.ZodType,
  array: zod.array,
  boolean: zod.boolean,
  coerce: zod.coerce,
  discriminatedUnion: zod.discriminatedUnion,
  enum: zod.enum,
  int: zod.int,
  iso: zod.iso,
  literal: zod.literal,
  number: zod.number,
  object: zod.object,
  preprocess: zod.preprocess,
  record: zod.record,
  strictObject: zod.strictObject,
  string: zod.string,
  tuple: zod.tuple,

  union: zod.union,
  unknown: zod.unknown,
  url: zod.url,
  uuid: zod.uuid,
}

export { z, z as default }
