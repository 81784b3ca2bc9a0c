/**
 * What assistive technology and low vision need from the page, checked on every view in both
 * colour schemes: text contrast (WCAG AA), a label for every control, one h1, a language.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { seedActivities, seedSkills } from '../scripts/seed.ts'
import { snap, useChromium } from './browser.ts'

const skill = seedSkills[0] as (typeof seedSkills)[number]
const quiz = seedActivities[1] as (typeof seedActivities)[number]

const openPage = useChromium()

/** Elements whose own text is under WCAG AA contrast against the background they sit on. */
function lowContrastText() {
  type Rgba = { r: number; g: number; b: number; a: number }
  const parse = (color: string): Rgba => {
    const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number)
    return { r, g, b, a }
  }
  const channel = (value: number) => {
    const v = value / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }
  const luminance = ({ r, g, b }: Rgba) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
  const backgroundOf = (element: Element): Rgba => {
    for (let e: Element | null = element; e; e = e.parentElement) {
      const color = parse(getComputedStyle(e).backgroundColor)
      if (color.a > 0) return color
    }
    return { r: 255, g: 255, b: 255, a: 1 }
  }
  const failures: string[] = []
  for (const element of document.querySelectorAll<HTMLElement>('body *')) {
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent?.trim())
      .join('')
    const box = element.getBoundingClientRect()
    if (!text || box.width <= 1 || box.height <= 1 || element.closest('[disabled]')) continue
    const style = getComputedStyle(element)
    const [fg, bg] = [luminance(parse(style.color)), luminance(backgroundOf(element))]
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
    const size = Number.parseFloat(style.fontSize)
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66)
    if (ratio < (large ? 3 : 4.5)) failures.push(`${element.tagName} "${text}": ${ratio.toFixed(2)}:1`)
  }
  return failures
}

/** Controls without an accessible name, and other structural slips. */
function structuralProblems() {
  const problems: string[] = []
  if (document.documentElement.lang !== 'en') problems.push('no lang on <html>')
  if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1')
  for (const input of document.querySelectorAll('input')) {
    if (!input.labels?.length && !input.getAttribute('aria-label'))
      problems.push(`unlabelled input ${input.name}`)
  }
  for (const button of document.querySelectorAll('button')) {
    if (!button.textContent?.trim() && !button.getAttribute('aria-label'))
      problems.push('button without a name')
  }
  for (const bar of document.querySelectorAll('[role="progressbar"]')) {
    if (!bar.getAttribute('aria-label') || !bar.hasAttribute('aria-valuenow'))
      problems.push('progressbar without label/value')
  }
  return problems
}

async function check(page: Page, view: string) {
  expect(await page.evaluate(lowContrastText), `${view}: low contrast`).toEqual([])
  expect(await page.evaluate(structuralProblems), `${view}: structure`).toEqual([])
}

describe.each(['light', 'dark'] as const)('in the %s colour scheme', (colorScheme) => {
  it('every view has AA contrast, labelled controls and one h1', async () => {
    const { context, page } = await openPage({ colorScheme })
    const heading = (name: string, level = 1) => page.getByRole('heading', { name, level }).waitFor()

    await page.goto('/')
    await heading('Skills')
    await check(page, 'skills')
    await page.goto(`/#/skills/${skill.id}`)
    await heading(skill.name)
    await check(page, 'skill')
    await page.goto(`/#/activities/${quiz.id}`)
    await heading(quiz.name)
    await page.getByRole('button', { name: 'Start activity' }).click()
    await page.getByRole('button', { name: 'Submit answers' }).waitFor()
    await check(page, 'activity form')
    await page.getByRole('radio', { name: '19' }).check()
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await heading('Not passed yet', 2)
    await check(page, 'feedback')
    await snap(page, `13-feedback-${colorScheme}`)
    await page.goto('/#/progress')
    await heading('My progress')
    await check(page, 'my progress')
    await snap(page, `14-progress-${colorScheme}`)
    await page.goto('/#/account')
    await heading('Your account')
    await check(page, 'account')
    await page.goto('/#/sign-in')
    await heading('Sign in with a passkey')
    await check(page, 'sign in')
    await snap(page, `15-sign-in-${colorScheme}`)
    await context.close()
  })
})
