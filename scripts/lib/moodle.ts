/**
 * A real Moodle on this machine for `npm run lti:moodle`: its database made afresh, installed from a
 * source tree with its own CLI installer, served by PHP's built-in server, and set up by a PHP script
 * run inside it (the tool registered as an LTI 1.3 tool with grades, rosters and deep linking, a
 * course, a teacher, a student and a graded link to one of our activities). Nothing here reaches
 * beyond 127.0.0.1.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** Moodle's installer checks this; its pages post many fields. */
const PHP_SETTINGS = ['-d', 'max_input_vars=5000']

/** PHP's output; a failure says what PHP printed last, never the command (it holds the database password). */
function php(args: string[], cwd?: string) {
  try {
    return execFileSync('php', [...PHP_SETTINGS, ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    throw new Error(
      `php ${args[0]} failed:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n')}`,
    )
  }
}

/** The tree's release line (`4.3 (Build: …)`), or null when the path holds no Moodle. */
export function moodleRelease(tree: string): string | null {
  const version = join(tree, 'version.php')
  if (!existsSync(version)) return null
  return /\$release\s*=\s*'([^']+)'/.exec(readFileSync(version, 'utf8'))?.[1] ?? null
}

/** Drops and creates the URL's database, connected through its server's `postgres` database. */
export function freshDatabase(url: URL) {
  const name = url.pathname.slice(1)
  if (!/^\w+$/.test(name)) throw new Error(`the database name "${name}" is not a plain identifier`)
  const dsn = `host=${url.hostname} port=${url.port || 5432} dbname=postgres user=${decodeURIComponent(url.username)} password=${decodeURIComponent(url.password)}`
  php([
    '-r',
    `$c = pg_connect(${JSON.stringify(dsn)}) or exit(1); pg_query($c, 'DROP DATABASE IF EXISTS "${name}" WITH (FORCE)'); pg_query($c, 'CREATE DATABASE "${name}"') or exit(1);`,
  ])
}

export function installMoodle(tree: string, database: URL, wwwroot: string, dataroot: string) {
  rmSync(join(tree, 'config.php'), { force: true })
  rmSync(dataroot, { recursive: true, force: true })
  mkdirSync(dataroot, { recursive: true })
  php(
    [
      'admin/cli/install.php',
      '--non-interactive',
      '--agree-license',
      '--lang=en',
      `--wwwroot=${wwwroot}`,
      `--dataroot=${resolve(dataroot)}`,
      '--dbtype=pgsql',
      `--dbhost=${database.hostname}`,
      `--dbport=${database.port || 5432}`,
      `--dbname=${database.pathname.slice(1)}`,
      `--dbuser=${decodeURIComponent(database.username)}`,
      `--dbpass=${decodeURIComponent(database.password)}`,
      '--fullname=Learning progress LTI check',
      '--shortname=lticheck',
      '--adminuser=admin',
      '--adminpass=Admin-pass-1',
      '--adminemail=admin@school.example',
      '--supportemail=admin@school.example',
    ],
    tree,
  )
}

export function serveMoodle(tree: string, port: number): { server: ChildProcess; stop: () => void } {
  // Several workers: Moodle fetches the tool's keys while the tool fetches Moodle's.
  const server = spawn('php', [...PHP_SETTINGS, '-S', `127.0.0.1:${port}`, '-t', tree], {
    cwd: tree,
    stdio: 'ignore',
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
  })
  return { server, stop: () => server.kill('SIGTERM') }
}

export type MoodleSetup = {
  typeId: number
  clientId: string
  courseId: number
  activityLinkId: number
  users: Record<'teacher' | 'student', { username: string; password: string }>
}

/** The PHP run inside Moodle: what an admin and a course's teacher would set up by hand. */
const SETUP_PHP = (tool: string, activityId: string) => `<?php
define('CLI_SCRIPT', true);
require(__DIR__ . '/config.php');
require_once($CFG->dirroot . '/mod/lti/locallib.php');
require_once($CFG->libdir . '/testing/generator/lib.php');
// Moodle refuses to fetch from 127.0.0.1 or from ports other than 80 and 443 until these are emptied.
set_config('curlsecurityblockedhosts', '');
set_config('curlsecurityallowedport', '');
\\core\\session\\manager::set_user(get_admin());
$type = (object) ['state' => LTI_TOOL_STATE_CONFIGURED, 'name' => 'Learning progress', 'coursevisible' => LTI_COURSEVISIBLE_ACTIVITYCHOOSER];
$config = (object) [
  'lti_toolurl' => '${tool}/lti/launch', 'lti_ltiversion' => LTI_VERSION_1P3, 'lti_keytype' => LTI_JWK_KEYSET,
  'lti_publickeyset' => '${tool}/lti/jwks', 'lti_initiatelogin' => '${tool}/lti/login',
  'lti_redirectionuris' => '${tool}/lti/launch', 'lti_contentitem' => 1,
  'lti_toolurl_ContentItemSelectionRequest' => '${tool}/lti/launch',
  'lti_sendname' => LTI_SETTING_ALWAYS, 'lti_sendemailaddr' => LTI_SETTING_NEVER, 'lti_acceptgrades' => LTI_SETTING_ALWAYS,
  'lti_launchcontainer' => LTI_LAUNCH_CONTAINER_EMBED_NO_BLOCKS, 'lti_coursevisible' => LTI_COURSEVISIBLE_ACTIVITYCHOOSER,
  'ltiservice_gradesynchronization' => 2, 'ltiservice_memberships' => 1, 'ltiservice_toolsettings' => 0,
];
$typeid = lti_add_type($type, $config);
$gen = new testing_data_generator();
$course = $gen->create_course(['fullname' => 'Year 7 maths', 'shortname' => 'y7maths']);
$teacher = $gen->create_user(['username' => 'teacher', 'password' => 'Teacher-pass-1', 'firstname' => 'Tess', 'lastname' => 'Teacher']);
$student = $gen->create_user(['username' => 'student', 'password' => 'Student-pass-1', 'firstname' => 'Sam', 'lastname' => 'Student']);
$gen->enrol_user($teacher->id, $course->id, 'editingteacher');
$gen->enrol_user($student->id, $course->id, 'student');
// A graded link to one of our activities, as a teacher would type its custom parameter; no LTI 1.1 key.
$link = $gen->create_module('lti', ['course' => $course->id, 'name' => 'Adding up', 'typeid' => $typeid,
  'toolurl' => '', 'resourcekey' => '', 'password' => '', 'grade' => 100,
  'instructorcustomparameters' => 'activity=${activityId}', 'launchcontainer' => LTI_LAUNCH_CONTAINER_EMBED_NO_BLOCKS]);
echo json_encode(['typeId' => (int) $typeid, 'clientId' => $DB->get_field('lti_types', 'clientid', ['id' => $typeid]),
  'courseId' => (int) $course->id, 'activityLinkId' => (int) $link->cmid,
  'users' => ['teacher' => ['username' => 'teacher', 'password' => 'Teacher-pass-1'], 'student' => ['username' => 'student', 'password' => 'Student-pass-1']]]);
`

export function setUpMoodle(tree: string, tool: string, activityId: string): MoodleSetup {
  const file = join(tree, 'lti-check-setup.php')
  writeFileSync(file, SETUP_PHP(tool, activityId))
  try {
    return JSON.parse(php([file], tree)) as MoodleSetup
  } finally {
    rmSync(file, { force: true })
  }
}

/** Runs PHP inside Moodle and returns what it echoes (for reading the gradebook and the activities). */
export function moodlePhp(tree: string, body: string): string {
  const file = join(tree, 'lti-check-read.php')
  writeFileSync(file, `<?php define('CLI_SCRIPT', true); require(__DIR__ . '/config.php'); ${body}`)
  try {
    return php([file], tree)
  } finally {
    rmSync(file, { force: true })
  }
}
