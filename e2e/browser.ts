/** Chromium for the browser tests, and screenshots kept as test artefacts. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'

export const SCREENSHOTS = 'test-results/e2e'

/**
 * Debian's Chromium (`apt-get install chromium`), not a downloaded one. The flags keep it off the
 * network it has no business with: no background updates, sync or first-run checks.
 */
function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

export const PHONE = { width: 390, height: 844 }
const LAPTOP = { width: 1280, height: 800 }

/** A full-page screenshot at test-results/e2e/<name>.png. */
export async function snap(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Every error the page throws or logs (a 404 for a missing asset included), for a test to assert on. */
function collectPageErrors(page: Page) {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`)
  })
  return errors
}

/**
 * One Chromium per test file. Each `openPage()` is a fresh browser profile, so a fresh learner, on
 * the stack e2e/global-setup.ts started.
 */
export function useChromium() {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(() => browser?.close())
  return async function openPage(
    options: { viewport?: typeof LAPTOP; colorScheme?: 'light' | 'dark'; baseURL?: string } = {},
  ) {
    if (!browser) throw new Error('openPage() is for inside tests')
    const context = await browser.newContext({
      viewport: options.viewport ?? LAPTOP,
      colorScheme: options.colorScheme ?? 'light',
      baseURL: options.baseURL ?? inject('baseUrl'),
    })
    const page = await context.newPage()
    return { context, page, errors: collectPageErrors(page) }
  }
}
