/** The API reference at /docs: Scalar, served by the Worker with its script, rendering /openapi.json. */
import { describe, expect, it } from 'vitest'
import { snap, useChromium } from './browser.ts'

const openPage = useChromium()

describe('/docs', () => {
  it('renders the API reference from the static OpenAPI document', async () => {
    const { context, page, errors } = await openPage()
    const document = page.waitForResponse((res) => new URL(res.url()).pathname === '/openapi.json')
    await page.goto('/docs')
    const res = await document
    expect(res.status()).toBe(200)
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0')
    await page.getByRole('heading', { name: 'Learning progress API' }).first().waitFor({ timeout: 30_000 })
    await page.getByText('List skills, by name (keyset pagination)').first().waitFor()
    await snap(page, '15-docs')
    // Buttons of Scalar's hosted service, which do nothing for a self-hosted reference, are hidden.
    for (const hosted of [/Ask AI/i, /Generate MCP/i, /^Deploy/i])
      await expect(page.getByRole('button', { name: hosted }).count(), String(hosted)).resolves.toBe(0)
    // The introduction says what the API is now.
    await expect(
      page
        .getByText(/sign in on other devices with passkeys/)
        .first()
        .isVisible(),
    ).resolves.toBe(true)
    // Under its Content-Security-Policy: nothing refused (a refusal is a console error).
    expect(errors.filter((error) => /Content Security Policy|Refused to/i.test(error))).toEqual([])
    await context.close()
  })
})
