/**
 * Prepares public/, the Worker's static assets: Scalar's script for /docs (copied, so the page
 * needs no CDN) and the learner page's script (web/ bundled by esbuild into public/app.js). Both
 * are git-ignored. Runs on `npm install` (postinstall) and as `npm run build`; `npm run dev`
 * rebuilds the page's script on every change.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as esbuild from 'esbuild'

function copyScalar() {
  const scalar = dirname(createRequire(import.meta.url).resolve('@scalar/api-reference'))
  mkdirSync('public/docs', { recursive: true })
  copyFileSync(join(scalar, 'browser', 'standalone.js'), 'public/docs/scalar.js')
}

const webBuild: esbuild.BuildOptions = {
  entryPoints: ['web/main.ts'],
  outfile: 'public/app.js',
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
}

export async function buildWeb() {
  await esbuild.build(webBuild)
}

/** Rebuilds public/app.js whenever a file under web/ changes; returns a stop function. */
export async function watchWeb() {
  const context = await esbuild.context(webBuild)
  await context.watch()
  return () => context.dispose()
}

if (import.meta.main) {
  copyScalar()
  await buildWeb()
}
