// Server-rendered pages: Nunjucks over govuk-frontend's templates. Templates are named from src/,
// so each capability keeps its own pages (e.g. "organisations/views/users.njk").
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'
import { longDate } from '../time/dates.ts'

const require = createRequire(import.meta.url)
export const GOVUK_DIST = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist')
export const SRC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export function createViews(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([SRC_DIR, GOVUK_DIST], { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false
  })
  env.addFilter('dateTime', (value: Date | string | null | undefined) => {
    if (!value) return ''
    const date = value instanceof Date ? value : new Date(value)
    return date.toLocaleString('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })
  })
  env.addFilter('longDate', (value: string | null | undefined) => longDate(value))
  return env
}
