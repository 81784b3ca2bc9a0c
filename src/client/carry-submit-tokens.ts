/**
 * For API clients (the learner page, the typed client): a fetch that carries each start's
 * `Submit-Token` to the submit of that attempt, so a submit costs one round trip without the calling
 * code ever handling a token. Runs in the client, never in the Worker.
 *
 * A start answers the token with the attempt's `Location`; a submit to that attempt gets it as its
 * request header (unless the caller set one) until a submit of it succeeds. A client that loses its
 * tokens (a reload) loses nothing but the round trip: the submit then reads first.
 */
import { Lru } from '../lib/lru.ts'

const SUBMIT = /\/v1\/attempts\/([^/]+)\/submit$/
const ATTEMPT = /\/v1\/me\/attempts\/([^/]+)$/
/** Attempts started and not submitted are few; the oldest token goes beyond this many. */
const KEPT = 50

type Fetch = (request: Request) => Response | Promise<Response>

export function carrySubmitTokens(fetchFn: Fetch = (request) => fetch(request)) {
  const tokens = new Lru<string>(KEPT)
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const submitted = SUBMIT.exec(new URL(request.url).pathname)?.[1]
    const token = submitted && tokens.get(submitted)
    if (token && !request.headers.has('Submit-Token')) request.headers.set('Submit-Token', token)
    const response = await fetchFn(request)
    const issued = response.headers.get('Submit-Token')
    const started = ATTEMPT.exec(response.headers.get('Location') ?? '')?.[1]
    if (issued && started) tokens.set(started, issued)
    if (submitted && response.ok) tokens.delete(submitted)
    return response
  }
}
