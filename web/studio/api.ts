/**
 * The admin API as the studio reaches it: Hono's typed client with the author's bearer token, which
 * lives in sessionStorage only — typed once per tab, gone when the tab closes, never in a URL, in
 * localStorage or in a log line.
 */
import { hc, parseResponse as read } from 'hono/client'
import type { AppType } from '../../src/app.ts'

const TOKEN = 'learning-progress:studio-token'

export const token = {
  get: () => sessionStorage.getItem(TOKEN),
  set: (value: string) => sessionStorage.setItem(TOKEN, value),
  clear: () => sessionStorage.removeItem(TOKEN),
}

export const admin = hc<AppType>(location.origin, {
  headers: (): Record<string, string> => {
    const value = token.get()
    return value ? { Authorization: `Bearer ${value}` } : {}
  },
}).v1.admin

export { read }

type Problem = { detail?: string; errors?: { detail: string }[] }

/** A refused request's problem, in words: its detail, and each error it lists. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? `The request failed (${status}).`)
  }
}

const bearer = () => ({ Authorization: `Bearer ${token.get() ?? ''}` })

/**
 * A download the API answers with a bearer token (no link can carry one): fetched, then saved.
 * Its response headers, for what a route says beside the file.
 */
export async function download(path: string): Promise<Headers> {
  const res = await fetch(path, { headers: bearer() })
  if (!res.ok) throw new ProblemError(res.status, (await res.json().catch(() => null)) as Problem | null)
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download'
  const url = URL.createObjectURL(await res.blob())
  const link = Object.assign(document.createElement('a'), { href: url, download: name })
  link.click()
  URL.revokeObjectURL(url)
  return res.headers
}

/** A file sent as the body of a POST (the typed client sends JSON only); the JSON answer, or a ProblemError. */
export async function upload<T>(path: string, file: Blob, type: string): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { ...bearer(), 'Content-Type': type },
    body: file,
  })
  const body = await res.json().catch(() => null)
  if (!res.ok) throw new ProblemError(res.status, body as Problem | null)
  return body as T
}
