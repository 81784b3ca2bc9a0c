import { generateKeyPairSync } from 'node:crypto'
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

/**
 * Two projects: `workers`, the real Worker inside workerd against the local endpoint (test/*.test.ts),
 * and `node`, what runs on the developer's machine rather than in the Worker — builds, generated docs,
 * the contract's history (test/node/).
 */
// wrangler reads a developer's .dev.vars for the test Worker too and says so once per test file; the
// bindings below set every key that matters, so that line is noise in a test run.
process.env.WRANGLER_LOG ??= 'warn'

/** The tool's LTI key for the suite: made afresh for each run, never committed, never a deployment's. */
const LTI_TEST_KEYS = [
  {
    kid: 'suite',
    ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  },
]

const workers = {
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Provided by test/global-setup.ts, which starts the local endpoint before the Workers start.
        bindings: {
          ENVIRONMENT: 'test',
          DATABASE_URL: 'postgres://test:test@db.localtest.me/test',
          NEON_LOCAL_ENDPOINT: inject('neonEndpoint'),
          LOCAL_NEON_URL: inject('localNeonUrl'),
          DATABASE_BACKEND: inject('databaseBackend'),
          // The replica's endpoint is known, but DATABASE_URL_REPLICA stays unset: test/replicas.test.ts sets it.
          NEON_LOCAL_ENDPOINT_REPLICA: inject('replicaEndpoint'),
          LOCAL_NEON_REPLICA_URL: inject('replicaUrl'),
          SESSION_SECRETS: 'test-session-secret-current-0123456789,test-session-secret-previous-012345678',
          ADMIN_TOKENS:
            'ada:test-admin-token-current,ada:test-admin-token-previous,grace:test-admin-token-of-grace',
          CORS_ORIGINS: 'https://app.example,http://localhost:5173',
          // Off for the suite (tests reuse ids across resets); test/edge-cache.test.ts turns it on.
          CATALOGUE_TTL_SECONDS: '0',
          // Whatever a developer's .dev.vars says, the suite runs with these.
          DATABASE_URL_REPLICA: '',
          // The longest deadline there is: under load (twenty submits on PGlite, which serialises every
          // request) a request may wait seconds for its turn, and no test may depend on the machine's
          // speed. test/db-faults.test.ts gives the deadline its own short value to test it.
          DB_TIMEOUT_MS: '60000',
          OPEN_ATTEMPT_HOURS: '24',
          // The tool's LTI key: generated for the suite, published at /lti/jwks.
          LTI_PRIVATE_KEYS: JSON.stringify(LTI_TEST_KEYS),
          // Passkeys from the suite's own origin (test/webauthn.ts is the authenticator).
          WEBAUTHN_RP_ID: 'api.test',
          WEBAUTHN_ORIGINS: 'http://api.test',
        },
        // wrangler.toml's LTI queue, delivering a batch within a second rather than five: the grade
        // tests wait for what the queue delivers.
        queueConsumers: {
          lti: { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 5, deadLetterQueue: 'lti-failed' },
          'lti-failed': { maxBatchSize: 10, maxBatchTimeout: 1 },
        },
        // The limits of wrangler.toml, some lowered so a test can reach them quickly.
        ratelimits: {
          PROGRESS_LIMITER: { namespace_id: '1001', simple: { limit: 50, period: 60 } },
          SESSION_LIMITER: { namespace_id: '1002', simple: { limit: 30, period: 60 } },
          LEARNER_LIMITER: { namespace_id: '1003', simple: { limit: 200, period: 60 } },
          ADMIN_AUTH_LIMITER: { namespace_id: '1004', simple: { limit: 5, period: 60 } },
          PASSKEY_LIMITER: { namespace_id: '1005', simple: { limit: 20, period: 60 } },
          SEARCH_LIMITER: { namespace_id: '1006', simple: { limit: 10, period: 60 } },
          LTI_REGISTER_LIMITER: { namespace_id: '1007', simple: { limit: 3, period: 60 } },
        },
      },
    })),
  ],
  test: {
    name: 'workers',
    include: ['test/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    // One database for the whole run, reset before each test: files run one after another, in one
    // Workers runtime (not a new one per file: that start-up, ~0.7 s, was a third of the run).
    // Module state is shared across files, so a test that changes any (a cache, a fake clock) puts
    // it back, as test/submit-paths.test.ts does.
    fileParallelism: false,
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
}

export default defineConfig({
  test: {
    projects: [
      workers,
      { test: { name: 'node', include: ['test/node/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
    ],
    // One log line per request adds up: print a test's logs only when it fails.
    silent: 'passed-only',
    // Under CI, also a JSON report, from which .ci/run prints plain totals (npm test names a file
    // per project: scripts/test.ts).
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.local/vitest-report.json' },
  },
})
