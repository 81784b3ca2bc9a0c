/** The API reference at /docs: Scalar, served by the Worker with its script, rendering /openapi.json. */

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { LAPTOP, launchChromium, snap } from './browser.ts'

const base = inject('baseUrl')
let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(() => browser?.close())

describe('/docs', () => {
  it('renders the API reference from the static OpenAPI document', async () => {
    const context = await browser.newContext({ viewport: LAPTOP, baseURL: base })
    const page = await context.newPage()
    const document = page.waitForResponse((res) => new URL(res.url()).pathname === '/openapi.json')
    await page.goto('/docs')
    const res = await document
    expect(res.status()).toBe(200)
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0')
    await page.getByRole('heading', { name: 'Learning progress API' }).first().waitFor({ timeout: 30_000 })
    await page.getByText('List skills, by name (keyset pagination)').first().waitFor()
    await snap(page, '15-docs')
    await context.close()
  })
})
