// `npx harbour marac return --area <code> --quarter 2026Q3 [--out return.csv]`: the quarterly MARAC
// return of an area as CSV, to a file or printed.
import { writeFile } from 'node:fs/promises'
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { listAreas, maracReturn } from './cases.ts'
import { ReturnInputError, returnCsv } from './returns.ts'

export class MaracCommandError extends Error {
  override name = 'MaracCommandError'
}

export async function maracReturnCommand(db: Db, values: { area?: string | undefined, quarter?: string | undefined, out?: string | undefined }): Promise<number> {
  const codes = (await listAreas(db)).map((a) => a.code)
  if (!values.area) throw new MaracCommandError(`marac return needs --area <code> (one of ${codes.join(', ') || 'none set up yet'}) and --quarter, like 2026Q3`)
  if (!values.quarter) throw new MaracCommandError('marac return needs --quarter, like 2026Q3 (Q3 is July to September)')
  const ret = await maracReturn(db, values.area, values.quarter).catch((error: unknown) => {
    if (error instanceof ReturnInputError) throw new MaracCommandError(`--quarter ${error.message}`)
    throw error
  })
  if (!ret) throw new MaracCommandError(`There is no MARAC area "${values.area}": use one of ${codes.join(', ') || '(none set up yet)'}`)
  const csv = returnCsv(ret)
  await appendAudit(db, { actor: { label: `command line (${process.env.USER ?? 'unknown user'})` }, action: 'marac-return-export', recordType: 'marac-area', recordId: ret.areaCode, details: { quarter: ret.quarter.label, out: values.out ?? 'stdout' } })
  if (values.out) {
    await writeFile(values.out, csv)
    process.stderr.write(`Wrote the ${ret.quarter.label} return of ${ret.areaCode} to ${values.out}: ${ret.totals.cases} cases at ${ret.meetings.length} meetings.\n`)
  } else {
    process.stdout.write(csv)
  }
  return 0
}
