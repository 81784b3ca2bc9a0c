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

// Vite's import.meta.glob (vite/client's types would bring the DOM's in with them).
interface ImportMeta {
  glob<T>(pattern: string, options: { query: string; import: 'default'; eager: true }): Record<string, T>
}

// Vite's ?raw imports: a file's text.
declare module '*?raw' {
  const text: string
  export default text
}
