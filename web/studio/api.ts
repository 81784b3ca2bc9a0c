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

/** A download the API answers with a bearer token (no link can carry one): fetched, then saved. */
export async function download(path: string) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token.get() ?? ''}` } })
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { detail?: string } | null
    throw new Error(problem?.detail ?? `The download failed (${res.status}).`)
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download'
  const url = URL.createObjectURL(await res.blob())
  const link = Object.assign(document.createElement('a'), { href: url, download: name })
  link.click()
  URL.revokeObjectURL(url)
}
