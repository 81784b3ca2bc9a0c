/**
 * Copies the Scalar API reference bundle into public/ (the Worker's static assets), so /docs needs
 * no CDN. Runs on `npm install` (postinstall); the copy is git-ignored.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const scalar = dirname(createRequire(import.meta.url).resolve('@scalar/api-reference'))
const source = join(scalar, 'browser', 'standalone.js')
mkdirSync('public/docs', { recursive: true })
copyFileSync(source, 'public/docs/scalar.js')
