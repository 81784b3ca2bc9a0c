/**
 * Knowledge on the page, in Chromium: "Up next" leads to the activity the API names, the per-unit
 * bars show what the API holds, a pool quiz is answered in its own shuffled order and graded right,
 * an activity that never reveals answers shows correctness without keys, and search forgives typos.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SEED_IDS, seedActivities, seedUnits } from '../scripts/seed.ts'
import { answerArithmetic, snap, useChromium } from './browser.ts'

const openPage = useChromium()
const heading = (page: Page, name: string | RegExp, level = 1) => page.getByRole('heading', { name, level })
const activityName = (id: string) => seedActivities.find((a) => a.id === id)?.name as string

/** Answers the drawn times-table questions, in the order the page shows them; `wrong` of them wrong. */
async function answerTimesTables(page: Page, wrong: number) {
  const questions = page.locator('form.questions .question')
  await questions.first().waitFor()
  const count = await questions.count()
  for (let i = 0; i < count; i++) {
    const question = questions.nth(i)
    const prompt = (await question.locator('.prompt').textContent()) ?? ''
    const miss = i < wrong
    const product = prompt.match(/(\d+) × (\d+)\?/)
    const choice = (await question.locator('input[type=radio]').count()) > 0
    if (product && !choice) {
      const right = Number(product[1]) * Number(product[2])
      await question.locator('input').fill(String(miss ? right + 1 : right))
    } else {
      // "Which equals 3 × 4?": 4 + 4 + 4, wherever the shuffle put it.
      await question.getByLabel(miss ? '3 + 4' : '4 + 4 + 4', { exact: true }).check()
    }
  }
  return count
}

describe('knowledge on the learner page', () => {
  it('opens on Up next, whose first step leads to the activity the API names', async () => {
    const { context, page, errors } = await openPage()
    await page.goto('/')
    await heading(page, 'Up next', 2).waitFor()
    const next = await page.request.get('/v1/me/next?limit=3')
    const { items } = (await next.json()) as {
      items: { reason: string; activity: { id: string; name: string } }[]
    }
    const first = items[0]
    expect(first?.reason).toBe('start')
    const steps = page.locator('.up-next .step')
    await expect(steps.count()).resolves.toBe(items.length)
    await steps.first().getByRole('link').click()
    await heading(page, first?.activity.name as string).waitFor()
    expect(page.url()).toContain(`#/activities/${first?.activity.id}`)
    // Multiplication waits for Basic Mathematics: marked, still open.
    await page.goto('/')
    await expect(
      page.locator(`[data-skill="${SEED_IDS.skills.multiplication}"] .recommended-after`).textContent(),
    ).resolves.toBe('Recommended after Basic Mathematics')
    await snap(page, '30-up-next')
    expect(errors).toEqual([])
    await context.close()
  })

  it('shows a knowledge bar per unit, matching the API', async () => {
    const { context, page, errors } = await openPage()
    await page.goto(`/#/activities/${SEED_IDS.activities.addition}`)
    await page.getByRole('button', { name: 'Start activity' }).click()
    await answerArithmetic(page, { only: [1, 2] })
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await heading(page, /Passed|Not passed yet/, 2).waitFor()
    await expect(page.locator('.knowledge-changes').textContent()).resolves.toMatch(/Addition: 20% → \d+%/)

    await page.goto(`/#/skills/${SEED_IDS.skills.math}`)
    await heading(page, 'Basic Mathematics').waitFor()
    const res = await page.request.get(`/v1/me/skills/${SEED_IDS.skills.math}`)
    const { units } = (await res.json()) as { units: { unitId: string; name: string; knowledge: number }[] }
    expect(units.map((unit) => unit.name)).toEqual(
      seedUnits.filter((u) => u.skillId === SEED_IDS.skills.math).map((u) => u.name),
    )
    for (const unit of units) {
      const shown = page.getByRole('progressbar', { name: `Knowledge of ${unit.name}` })
      await expect(shown.getAttribute('aria-valuenow')).resolves.toBe(
        String(Math.round(unit.knowledge * 100)),
      )
    }
    await snap(page, '31-unit-knowledge')
    expect(errors).toEqual([])
    await context.close()
  })

  it('grades a shuffled pool quiz in its shown order, and shows correctness without ever showing keys', async () => {
    const { context, page, errors } = await openPage()
    await page.goto(`/#/activities/${SEED_IDS.activities.timesTables}`)
    await heading(page, activityName(SEED_IDS.activities.timesTables)).waitFor()
    await expect(page.getByText('4 questions drawn from 8').isVisible()).resolves.toBe(true)
    await page.getByRole('button', { name: 'Start activity' }).click()
    expect(await answerTimesTables(page, 1)).toBe(4)
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await heading(page, 'Passed', 2).waitFor()
    await expect(page.locator('.score').textContent()).resolves.toBe('Score: 3 / 4')
    await expect(page.locator('.feedback li.correct').count()).resolves.toBe(3)
    await expect(page.locator('.feedback li.incorrect').count()).resolves.toBe(1)
    // `answers: never`: the wrong answer is marked, its key is not shown.
    await expect(page.locator('.feedback').textContent()).resolves.not.toContain('Expected')
    await snap(page, '32-never-reveals')

    await page.getByRole('button', { name: 'Try again' }).click()
    await answerTimesTables(page, 0)
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await expect.poll(() => page.locator('.score').textContent()).toBe('Score: 4 / 4')
    expect(errors).toEqual([])
    await context.close()
  })

  it('finds an activity by a misspelt word, and opens it', async () => {
    const { context, page, errors } = await openPage()
    await page.goto('/')
    await page.getByRole('searchbox', { name: 'Search' }).fill('substraction')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    const challenge = activityName(SEED_IDS.activities.challenge)
    const hit = page.locator('.search-results').getByRole('link', { name: challenge })
    await hit.waitFor()
    // Why each result matched, in words, not in the API's terms.
    const why = await page.locator('.search-results .why').allTextContents()
    expect(why.length).toBeGreaterThan(0)
    for (const reason of why)
      expect(reason).toMatch(
        /^ · (its name is spelt like “substraction”|it mentions your words|its name has your words)$/,
      )
    await snap(page, '33-search')
    await hit.click()
    await heading(page, challenge).waitFor()
    expect(errors).toEqual([])
    await context.close()
  })
})
