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

/**
 * Answers the arithmetic questions on the page ("2. What is 7 + 5?") from their prompts, as a learner
 * does: each attempt's instances have values of their own. The questions numbered in `wrong` get one
 * too many; `only` limits which are answered. What was asked and answered, in order.
 */
export async function answerArithmetic(
  page: Page,
  { wrong = [], only }: { wrong?: number[]; only?: number[] } = {},
) {
  const prompts = page.locator('form.questions label.prompt')
  await prompts.first().waitFor()
  const answered: { number: number; prompt: string; right: number; answer: number }[] = []
  for (const label of await prompts.all()) {
    const text = (await label.textContent()) ?? ''
    const match = /^(\d+)\. (What is (\d+) ([+−×]) (\d+)\?)/.exec(text)
    if (!match) continue
    const [, n, prompt, a, op, b] = match as unknown as [string, string, string, string, string, string]
    const number = Number(n)
    if (only && !only.includes(number)) continue
    const [x, y] = [Number(a), Number(b)]
    const right = op === '+' ? x + y : op === '−' ? x - y : x * y
    const answer = wrong.includes(number) ? right + 1 : right
    await page.locator(`[id="${await label.getAttribute('for')}"]`).fill(String(answer))
    answered.push({ number, prompt, right, answer })
  }
  return answered
}
