// Test-only bindings, set in vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    /** Base URL of the local Neon endpoint, for reading its request counter. */
    LOCAL_NEON_URL: string
    DATABASE_BACKEND: 'pglite' | 'postgres'
    /** Base URL of the replica's local endpoint, for its request counter. */
    LOCAL_NEON_REPLICA_URL: string
  }
}
