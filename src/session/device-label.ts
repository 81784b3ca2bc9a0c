/**
 * A short, human label for a session's device ("Firefox on Linux"), so a learner can tell their
 * devices apart in GET /v1/me/sessions. Only the label is stored, never the User-Agent itself.
 */

/** Checked in order: Edge and Opera also say Chrome, Chrome also says Safari. */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\b(Headless)?Chrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
]

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bLinux\b/, 'Linux'],
]

const UNKNOWN = 'Unknown browser'

const first = (table: [RegExp, string][], userAgent: string) =>
  table.find(([pattern]) => pattern.test(userAgent))?.[1]

export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return UNKNOWN
  const browser = first(BROWSERS, userAgent)
  const system = first(SYSTEMS, userAgent)
  if (browser) return system ? `${browser} on ${system}` : browser
  if (system) return `A browser on ${system}`
  // Another client (curl, a server-side app): its product name, kept to plain characters.
  const product = /^[A-Za-z][\w.-]{0,39}/.exec(userAgent)?.[0]
  return product ?? UNKNOWN
}
