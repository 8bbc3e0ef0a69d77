// Pupil rolls for the council's data team: the latest imports, and uploading a roll (a CSV of one
// setting's roll or a whole council's, or a school's Common Transfer File). All or nothing: a file with
// problems is refused with every problem listed by line.
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { MAX_UPLOAD_BYTES, actorOfRequest, originOf } from '../platform/http/server.ts'
import { FormErrors, text } from '../platform/http/forms.ts'
import { RollImportError } from './roll-import.ts'
import { isIsoDate, longDate, todayInLondon } from '../platform/time/dates.ts'
import type { RollImportRow } from './roll-import.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const number = (n: number) => n.toLocaleString('en-GB')

/** 2026-11-01 as "1 November 2026". */

function settingsText(urns: string[]): string {
  if (urns.length <= 5) return urns.join(', ')
  return `${urns.slice(0, 3).join(', ')} and ${number(urns.length - 3)} more`
}

const plural = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`

function forPage(row: RollImportRow) {
  return {
    ...row, asAtText: longDate(row.as_at), settings: settingsText(row.urns),
    headline: `${plural(row.pupils, 'pupil', 'pupils')} at ${plural(row.urns.length, 'setting', 'settings')}`,
    pupilsText: number(row.pupils), joinedText: number(row.joined), leftText: number(row.left_roll)
  }
}

export const rollRoutes: RouteRegistrar = (app, services) => {
  const { rollImports } = services
  const access = { permission: 'pupil-roll:manage' } as const

  const page = async (extra: Record<string, unknown> = {}) => ({
    title: 'Pupil rolls', width: 'full', today: todayInLondon(), maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024,
    imports: (await rollImports.recent()).map(forPage),
    ...extra
  })

  app.get('/rolls', { config: { access } }, async (request, reply) => {
    const imported = (request.query as Record<string, string | undefined>).imported
    if (imported && UUID.test(imported)) {
      const row = await rollImports.find(imported)
      if (row) return reply.view('rolls/views/rolls.njk', await page({ title: 'Roll imported', imported: forPage(row) }))
    }
    return reply.view('rolls/views/rolls.njk', await page())
  })

  app.post('/rolls', { config: { access } }, async (request, reply) => {
    const asAt = text(request.body, 'asAt')
    const allowShrink = text(request.body, 'allowShrink') === 'yes'
    const upload = request.upload
    const errors = new FormErrors()
    const today = todayInLondon()
    if (asAt && !isIsoDate(asAt)) errors.add('asAt', `Enter the as-at date as YYYY-MM-DD, like ${today}`)
    else if (asAt > today) errors.add('asAt', 'The as-at date must be today or earlier')
    if (!upload || !upload.filename) errors.add('file', 'Select a roll file: a CSV or a Common Transfer File (XML)')
    const refuse = async (extra: Record<string, unknown> = {}) =>
      reply.code(400).view('rolls/views/rolls.njk', await page({ asAt, allowShrink, errors: errors.byField, errorList: errors.summary, ...extra }))
    if (errors.any || !upload) return await refuse()

    const folder = await mkdtemp(path.join(tmpdir(), 'harbour-roll-'))
    try {
      const file = path.join(folder, 'upload')
      await pipeline(upload.file, createWriteStream(file))
      if (upload.file.truncated) {
        errors.add('file', `The file must be smaller than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`)
        return await refuse()
      }
      if ((await stat(file)).size === 0) {
        errors.add('file', 'The selected file is empty')
        return await refuse()
      }
      const fileName = path.basename(upload.filename.replace(/\\/g, '/')).slice(0, 200)
      let result
      try {
        result = await rollImports.importFile({ path: file, fileName, asAt: asAt || undefined, allowShrink, actor: actorOfRequest(request), origin: originOf(request) })
      } catch (error) {
        if (!(error instanceof RollImportError)) throw error
        errors.add('file', error.message)
        return await refuse()
      }
      if (!result.ok) {
        const problems = result.problemCount
        const message = `The file has ${number(problems)} problem${problems === 1 ? '' : 's'}, so nothing was imported`
        const errorList = [
          { text: message, href: '#file' },
          ...result.problems.map((problem) => ({ text: problem.charAt(0).toUpperCase() + problem.slice(1), href: '#file' })),
          ...(problems > result.problems.length ? [{ text: `And ${number(problems - result.problems.length)} more problems not listed here`, href: '#file' }] : [])
        ]
        return await refuse({ errors: { file: `${message}. Put ${problems === 1 ? 'it' : 'them'} right (see the list at the top of the page) and upload the file again.` }, errorList })
      }
      return reply.redirect(`/rolls?imported=${result.importId}`, 303)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
}
