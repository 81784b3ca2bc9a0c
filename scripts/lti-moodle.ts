/**
 * `npm run lti:moodle -- <moodle-tree> <postgres-url>`: LTI 1.3 Advantage against a real Moodle, by
 * hand (CI cannot fetch Moodle's source; the simulated platform in test/ covers every rule there).
 * Installs Moodle from the tree into the URL's database (dropped and made afresh), serves it on
 * 127.0.0.1, starts the tool (seeded, its own key), registers each with the other, and drives
 * Chromium through what the school does:
 *   1. a teacher adds the tool to their course and deep-links a unit, in Moodle's own form;
 *   2. the teacher opens that link: they land on their course's class, and its roster is synced;
 *   3. a student opens a graded link to an activity, inside Moodle's page, and completes it;
 *   4. the score reaches Moodle's gradebook.
 * Without a tree it says it skipped, and exits 0. Prints each step's time.
 */
import './lib/node-version.ts'
import { existsSync, openSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { chromium, type Frame, type Page } from 'playwright-core'
import {
  freshDatabase,
  installMoodle,
  moodlePhp,
  moodleRelease,
  serveMoodle,
  setUpMoodle,
} from './lib/moodle.ts'
import { ADMIN_TOKEN, startStack } from './lib/stack.ts'
import { SEED_IDS } from './seed.ts'

const [treeArg, databaseArg = process.env.MOODLE_DATABASE_URL] = process.argv.slice(2)
if (!treeArg || !existsSync(treeArg)) {
  console.log(
    'lti:moodle skipped: no Moodle source tree given. Usage: npm run lti:moodle -- <moodle-tree> <postgres-url>',
  )
  process.exit(0)
}
const tree = resolve(treeArg)
const release = moodleRelease(tree)
if (!release) throw new Error(`${tree} holds no Moodle (no version.php with a release)`)
if (!databaseArg) throw new Error('a PostgreSQL URL is needed: its database is replaced by Moodle’s')

const timings: [string, number][] = []
async function step<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const started = performance.now()
  process.stdout.write(`${name}… `)
  const result = await run()
  const ms = performance.now() - started
  timings.push([name, ms])
  console.log(`${(ms / 1000).toFixed(1)} s`)
  return result
}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, ms = 60_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const found = await read()
    if (found !== undefined) return found
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`never happened within ${ms / 1000} s: ${what}`)
}

console.log(`Moodle ${release} from ${tree}`)
const port = await freePort()
const moodle = `http://127.0.0.1:${port}`
const database = new URL(databaseArg)
await step('Moodle: fresh database and CLI install', () => {
  freshDatabase(database)
  installMoodle(tree, database, moodle, '.local/moodle-data')
})
// The Worker's log lines (the queue consumer's among them), for when a step fails.
const TOOL_LOG = '.local/lti-moodle-tool.log'
const tool = await step('tool: migrated, seeded, wrangler dev', () =>
  startStack({ name: 'lti_moodle', logTo: openSync(TOOL_LOG, 'w') }),
)
const site = serveMoodle(tree, port)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
})
try {
  await until('Moodle answering', () =>
    fetch(`${moodle}/login/index.php`).then(
      (r) => (r.ok ? true : undefined),
      () => undefined,
    ),
  )
  const setup = await step('Moodle: the tool, a course, a teacher, a student, a graded link', () =>
    setUpMoodle(tree, tool.base, SEED_IDS.activities.addition),
  )
  await step('tool: Moodle registered as a platform', async () => {
    const res = await fetch(`${tool.base}/v1/admin/lti/platforms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Moodle (local check)',
        issuer: moodle,
        clientId: setup.clientId,
        deploymentIds: [String(setup.typeId)],
        authLoginUrl: `${moodle}/mod/lti/auth.php`,
        accessTokenUrl: `${moodle}/mod/lti/token.php`,
        jwksUrl: `${moodle}/mod/lti/certs.php`,
      }),
    })
    if (res.status !== 201) throw new Error(`registering Moodle: ${res.status} ${await res.text()}`)
  })

  const signIn = async ({ username, password }: { username: string; password: string }) => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${moodle}/login/index.php`)
    await page.fill('#username', username)
    await page.fill('#password', password)
    await page.click('#loginbtn')
    await page.waitForURL((url) => !url.pathname.startsWith('/login/'))
    return page
  }
  const toolFrame = (page: Page, path: string) =>
    until(`the tool's ${path} in Moodle's page`, () =>
      page.frames().find((frame) => frame.url().startsWith(`${tool.base}${path}`)),
    )

  const teacher = await signIn(setup.users.teacher)
  const unitLink = await step(
    'teacher: deep-links the Addition unit from Moodle’s activity form',
    async () => {
      await teacher.goto(
        `${moodle}/course/modedit.php?add=lti&course=${setup.courseId}&section=0&return=0&typeid=${setup.typeId}`,
      )
      await teacher.click('#id_selectcontent')
      const picker = await toolFrame(teacher, '/lti/launch')
      await picker.getByLabel('Addition (the whole unit)').check()
      await picker.getByRole('button', { name: 'Add to the course' }).click()
      const ready = await toolFrame(teacher, '/lti/deep-link')
      await ready.getByRole('heading', { name: 'Ready to add to your course' }).waitFor()
      await ready.getByRole('button', { name: 'Add to the course' }).click()
      await teacher.waitForFunction(
        () => (document.querySelector('#id_name') as HTMLInputElement)?.value !== '',
      )
      await teacher.click('#id_submitbutton2')
      await teacher.waitForURL((url) => url.pathname.startsWith('/course/view.php'))
      const link = (JSON.parse(
        moodlePhp(
          tree,
          `$l = $DB->get_record_sql("SELECT l.id, l.name, l.instructorcustomparameters AS custom, cm.id AS cmid FROM {lti} l JOIN {course_modules} cm ON cm.instance = l.id JOIN {modules} m ON m.id = cm.module AND m.name = 'lti' WHERE l.course = ? AND l.instructorcustomparameters LIKE '%unit=%'", [${setup.courseId}]); echo json_encode($l);`,
        ),
      ) || null) as { cmid: number; name: string; custom: string } | null
      if (!link?.custom.includes(SEED_IDS.units.addition))
        throw new Error('the deep-linked activity does not name the unit')
      return link
    },
  )

  await step(
    'teacher: opens the unit link, lands on the class; the roster syncs through the queue',
    async () => {
      await teacher.goto(`${moodle}/mod/lti/view.php?id=${unitLink.cmid}`)
      const classView = await toolFrame(teacher, '/lti/class')
      await classView.getByRole('heading', { name: 'Year 7 maths' }).waitFor()
      await until('the class holding the student', async () => {
        const res = await fetch(`${tool.base}/v1/admin/classes`, {
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        })
        const { items } = (await res.json()) as { items: { name: string; members: number }[] }
        return items.find((c) => c.name === 'Year 7 maths' && c.members === 1)
      })
    },
  )

  const student = await signIn(setup.users.student)
  await step('student: opens the graded link in Moodle’s page and completes the activity', async () => {
    await student.goto(`${moodle}/mod/lti/view.php?id=${setup.activityLinkId}`)
    const app = await toolFrame(student, '/lti/app/')
    await app.getByRole('button', { name: 'Start activity' }).click()
    await answerArithmetic(app)
    await app.getByRole('button', { name: 'Submit answers' }).click()
    await app.getByRole('heading', { name: 'Passed', level: 2 }).waitFor()
  })

  const grade = await step('Moodle: the score is in the gradebook', () =>
    until(
      'a grade for the student',
      () => {
        const out = moodlePhp(
          tree,
          `require_once($CFG->libdir . '/gradelib.php'); $u = $DB->get_record('user', ['username' => 'student']); $cm = get_coursemodule_from_id('lti', ${setup.activityLinkId}); $g = grade_get_grades($cm->course, 'mod', 'lti', $cm->instance, $u->id); echo json_encode($g->items[0]->grades[$u->id]->grade ?? null);`,
        )
        const value = JSON.parse(out) as string | number | null
        return value === null ? undefined : Number(value)
      },
      60_000,
    ),
  )
  if (grade !== 100) throw new Error(`the gradebook holds ${grade}, not 100`)
  console.log('\nLTI 1.3 against Moodle: deep linking, launch, roster and grade all held.')
} catch (error) {
  console.error(`\nThe tool's log is in ${TOOL_LOG}.`)
  throw error
} finally {
  await browser.close()
  site.stop()
  await tool.close()
}
console.table(Object.fromEntries(timings.map(([name, ms]) => [name, `${(ms / 1000).toFixed(1)} s`])))

/** Answers the seeded arithmetic questions rightly (each attempt draws its own numbers). */
async function answerArithmetic(frame: Frame) {
  const prompts = frame.locator('form.questions label.prompt')
  await prompts.first().waitFor()
  for (const label of await prompts.all()) {
    const match = /What is (\d+) ([+−]) (\d+)\?/.exec((await label.textContent()) ?? '')
    if (!match) throw new Error('an unexpected question')
    const [a, b] = [Number(match[1]), Number(match[3])]
    await frame
      .locator(`[id="${await label.getAttribute('for')}"]`)
      .fill(String(match[2] === '+' ? a + b : a - b))
  }
}
