import * as z from 'zod'

/** An unset optional binding may arrive as an empty string (e.g. `KEY=` in .dev.vars). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

/** A comma-separated binding as its trimmed, non-empty items. */
const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
)

/** The bindings every request needs, checked once per isolate at the Worker boundary. */
const EnvSchema = z.object({
  ENVIRONMENT: z.enum(['development', 'test', 'production']).default('production'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  NEON_LOCAL_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  /** An optional read replica (Neon read replica connection string) for catalogue reads. */
  DATABASE_URL_REPLICA: optional(z.url({ protocol: /^postgres(ql)?$/ })),
  NEON_LOCAL_ENDPOINT_REPLICA: optional(z.url({ protocol: /^https?$/ })),
  // Lengths are checked where they are used, so that a bad value only takes down what needs it:
  /** Comma-separated, first signs, all verify; each ≥ 32 bytes. Without it, session routes are 500s. */
  SESSION_SECRETS: optional(commaList),
  /** Comma-separated bearer tokens for /v1/admin. Without it, admin routes are 500s. */
  ADMIN_TOKENS: optional(commaList),
  /** Comma-separated exact origins of browser front ends on other origins (CORS with credentials). */
  CORS_ORIGINS: optional(commaList),
  /** Deadline for all database calls of one request, in milliseconds (default 5000). */
  DB_TIMEOUT_MS: optional(z.coerce.number().int().min(50).max(60_000)),
  /** How long catalogue reads stay in each location's edge cache, in seconds (default 60; 0 = off). */
  CATALOGUE_TTL_SECONDS: optional(z.coerce.number().int().min(0).max(86_400)),
  /**
   * Passkeys: the relying party id (a domain, e.g. `learn.example.org`) and the exact origins that
   * may use passkeys (comma-separated). Without both, the passkey routes are 500s.
   */
  WEBAUTHN_RP_ID: optional(
    z
      .string()
      .toLowerCase()
      .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/),
  ),
  WEBAUTHN_ORIGINS: optional(commaList.pipe(z.array(z.url({ protocol: /^https?$/ })).min(1))),
  /**
   * LTI 1.3: the tool's RSA private keys, a JSON array of JWKs each with a `kid`; the first signs, all
   * are published at /lti/jwks. Without it, the LTI routes are 500s. Checked where it is used.
   */
  LTI_PRIVATE_KEYS: optional(z.string()),
  /** Hours an attempt may stay in progress before the cron abandons it (default 24). */
  OPEN_ATTEMPT_HOURS: optional(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365),
  ),
})

export type Env = Omit<CloudflareBindings, keyof z.infer<typeof EnvSchema>> & z.infer<typeof EnvSchema>

type EnvResult = { ok: true; env: Env } | { ok: false; invalidKeys: string[] }

const parsed = new WeakMap<object, EnvResult>()

/**
 * Validates the bindings, failing closed: on failure only the names of the bad keys come back, never
 * their values (a zod message could quote a secret). Cached per bindings object, which is stable
 * for an isolate's lifetime.
 */
export function parseEnv(bindings: CloudflareBindings): EnvResult {
  const cached = parsed.get(bindings)
  if (cached) return cached
  const result = EnvSchema.safeParse(bindings)
  const outcome: EnvResult = result.success
    ? { ok: true, env: { ...bindings, ...result.data } as Env } // validated values replace the raw strings
    : { ok: false, invalidKeys: [...new Set(result.error.issues.map((issue) => String(issue.path[0])))] }
  parsed.set(bindings, outcome)
  return outcome
}
