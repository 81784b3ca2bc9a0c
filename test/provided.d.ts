// Values the Node-side global setup hands to the Workers-side tests and config.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The local endpoint's /sql URL: the Worker's NEON_LOCAL_ENDPOINT. */
    neonEndpoint: string
    /** The local endpoint's base URL, for its request counter at /_local/stats. */
    localNeonUrl: string
    databaseBackend: 'pglite' | 'postgres'
    /** A second endpoint on the same database, standing in for a read replica. */
    replicaEndpoint: string
    replicaUrl: string
    /** test/question-banks/science.qti.zip, base64. */
    qtiPackageBase64: string
    /** The simulated LMS platform (test/lti-platform.ts): /jwks, /sign, /rotate, /stats. */
    ltiPlatformUrl: string
  }
}

export {}
