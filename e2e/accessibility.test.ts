/**
 * Accessibility by the engine everyone uses: axe-core at WCAG 2.2 AA on every view of the learner
 * page and of the studio, in both colour schemes, at laptop and at phone width, with zero
 * violations (no rule is disabled). The keyboard-only journeys are in learner.test.ts and
 * studio.test.ts.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN } from '../scripts/lib/stack.ts'
import { SEED_IDS, seedActivities, seedSkills } from '../scripts/seed.ts'
import { PHONE, snap, useChromium } from './browser.ts'

const skill = seedSkills[0] as (typeof seedSkills)[number]
const quiz = seedActivities[1] as (typeof seedActivities)[number]

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

const openPage = useChromium()

/** Every violation axe finds, as `rule: the elements`, so a failure names what to fix. */
async function check(page: Page, view: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()
  const found = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  )
  expect(found, `${view}: axe-core violations`).toEqual([])
}

describe('the check', () => {
  it('finds a violation planted in a page (so a pass means something)', async () => {
    const { context, page } = await openPage()
    await page.goto('/')
    await page.getByRole('heading', { name: 'Skills', level: 1 }).waitFor()
    await page.evaluate(() => document.getElementById('main')?.append(document.createElement('input')))
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()
    expect(violations.map((v) => v.id)).toContain('label')
    await context.close()
  })
})

const LAYOUTS = [
  ['light', 'laptop'],
  ['dark', 'laptop'],
  ['light', 'phone'],
  ['dark', 'phone'],
] as const

describe.each(LAYOUTS)('in the %s colour scheme at %s width', (colorScheme, width) => {
  const open = () => openPage({ colorScheme, ...(width === 'phone' && { viewport: PHONE }) })
  const suffix = `${colorScheme}-${width}`

  it('every view of the learner page has no violation', async () => {
    const { context, page } = await open()
    const heading = (name: string, level = 1) => page.getByRole('heading', { name, level }).waitFor()
    await page.goto('/')
    await heading('Skills')
    await check(page, 'skills')
    await page.goto(`/#/skills/${skill.id}`)
    await heading(skill.name)
    await check(page, 'skill')
    await page.goto(`/#/activities/${quiz.id}`)
    await heading(quiz.name)
    await check(page, 'activity')
    await page.getByRole('button', { name: 'Start activity' }).click()
    await page.getByRole('button', { name: 'Submit answers' }).waitFor()
    await check(page, 'activity form')
    await page.getByRole('radio', { name: '19' }).check()
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await heading('Not passed yet', 2)
    await check(page, 'feedback')
    await snap(page, `13-feedback-${suffix}`)
    await page.goto('/#/progress')
    await heading('My progress')
    await check(page, 'my progress')
    await snap(page, `14-progress-${suffix}`)
    await page.goto('/#/account')
    await heading('Your account')
    await check(page, 'account')
    await page.goto('/#/sign-in')
    await heading('Sign in with a passkey')
    await check(page, 'sign in')
    await snap(page, `15-sign-in-${suffix}`)
    await page.goto('/#/nowhere')
    await heading('Not found')
    await check(page, 'not found')
    await context.close()
  })

  it('every view of the studio has no violation', async () => {
    const { context, page } = await open()
    const heading = (name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).waitFor()
    await page.goto('/studio/')
    await heading('Sign in to the studio')
    await check(page, 'studio sign-in')
    await snap(page, `studio-sign-in-${suffix}`)
    await page.getByLabel('Author token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await heading('Catalogue')
    await check(page, 'studio catalogue')
    await snap(page, `studio-catalogue-${suffix}`)
    const views = [
      ['skill', `#/skills/${skill.id}`, new RegExp(skill.name)],
      ['skill-dashboard', `#/skills/${skill.id}/analytics`, `${skill.name}: dashboard`],
      ['editor', `#/activities/${quiz.id}`, new RegExp(quiz.name)],
      ['activity-dashboard', `#/activities/${quiz.id}/analytics`, `${quiz.name}: dashboard`],
      ['addition-dashboard', `#/activities/${SEED_IDS.activities.addition}/analytics`, /: dashboard/],
      ['classes', '#/classes', 'Classes'],
      ['platforms', '#/platforms', 'LMS platforms'],
    ] as const
    for (const [view, hash, name] of views) {
      await page.goto(`/studio/${hash}`)
      await heading(name)
      await check(page, `studio ${view}`)
      await snap(page, `studio-${view}-${suffix}`)
      // It fits the screen: wide tables scroll in their own box, charts draw to the width they get.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `studio ${view} is wider than the screen`).toBeLessThanOrEqual(0)
    }
    await context.close()
  })
})
