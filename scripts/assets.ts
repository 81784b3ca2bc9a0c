/**
 * Prepares public/, the Worker's static assets: Scalar's script for /docs (copied, so the page
 * needs no CDN), the learner page's script (web/ bundled by esbuild into public/app.js) and the
 * studio's (public/studio/app.js). All are git-ignored. Runs on `npm install` (postinstall) and as `npm run build`; `npm run dev`
 * rebuilds the page's script on every change.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as esbuild from 'esbuild'
import { expectWritten, isMain } from './lib/main.ts'

function copyScalar() {
  const scalar = dirname(createRequire(import.meta.url).resolve('@scalar/api-reference'))
  mkdirSync('public/docs', { recursive: true })
  copyFileSync(join(scalar, 'browser', 'standalone.js'), 'public/docs/scalar.js')
}

/** The learner page's script and the studio's, each beside its page. */
const ENTRIES = { app: 'web/main.ts', 'studio/app': 'web/studio/main.ts' }
const outputs = (outdir: string, production: boolean) =>
  Object.keys(ENTRIES).flatMap((name) => [
    join(outdir, `${name}.js`),
    ...(production ? [] : [join(outdir, `${name}.js.map`)]),
  ])

const webBuild = (production: boolean, outdir = 'public'): esbuild.BuildOptions => ({
  entryPoints: ENTRIES,
  outdir,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  // A source map helps while developing; a deployment serves none (`npm run deploy` builds with --production).
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
})

/** The scripts, and their maps unless for production (then stale maps are removed, so none is served). */
export async function buildWeb({ production = false, outdir = 'public' } = {}) {
  const started = Date.now()
  if (production)
    for (const name of Object.keys(ENTRIES)) rmSync(join(outdir, `${name}.js.map`), { force: true })
  await esbuild.build(webBuild(production, outdir))
  expectWritten(outputs(outdir, production), started)
}

/** Rebuilds the scripts whenever a file under web/ changes; returns a stop function. */
export async function watchWeb() {
  const context = await esbuild.context(webBuild(false))
  await context.watch()
  return () => context.dispose()
}

if (isMain(import.meta.url)) {
  const started = Date.now()
  copyScalar()
  expectWritten(['public/docs/scalar.js'], started)
  await buildWeb({ production: process.argv.includes('--production') })
}
