// `npx harbour link`: match a list of children (from the police, a MARAC list, temporary accommodation,
// home education) against pupil rolls, file to file. One output row per child, progress on stderr.
import { createWriteStream, readFileSync } from 'node:fs'
import { once } from 'node:events'
import { readCsvFile, csvLine } from '../platform/csv.ts'
import type { CsvRow } from '../platform/csv.ts'
import { prepare } from '../linkage/normalise.ts'
import type { PreparedRecord } from '../linkage/normalise.ts'
import { RollIndex } from '../linkage/roll-index.ts'
import { DEFAULT_THRESHOLDS, matchChild } from '../linkage/match.ts'
import type { Band, Thresholds } from '../linkage/match.ts'
import type { LinkageModel } from '../linkage/model.ts'

export const ROLL_COLUMNS = ['pupil_id', 'upn', 'urn', 'first_name', 'middle_names', 'last_name', 'date_of_birth', 'gender', 'address', 'postcode'] as const
export const CHILD_COLUMNS = ['child_id', 'first_name', 'middle_names', 'last_name', 'date_of_birth', 'gender', 'address', 'postcode'] as const
export const OUTPUT_COLUMNS = ['child_id', 'pupil_id', 'urn', 'match_probability', 'band'] as const

export class LinkInputError extends Error {
  override name = 'LinkInputError'
}

const MODEL_FILE = new URL('../linkage/default-model.json', import.meta.url)

export function defaultModel(): LinkageModel {
  return JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as LinkageModel
}

/** Maps a header row to column positions, naming any required column that is missing. */
export function columnsOf(header: CsvRow | undefined, required: readonly string[], file: string): Record<string, number> {
  if (!header) throw new LinkInputError(`${file} is empty: it needs a header row with ${required.join(',')}`)
  const positions: Record<string, number> = {}
  header.values.forEach((name, i) => { positions[name.trim().toLowerCase()] = i })
  const missing = required.filter((name) => positions[name] === undefined)
  if (missing.length > 0) throw new LinkInputError(`${file}, line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected ${required.join(',')})`)
  return positions
}

export interface LinkSummary { children: number, bands: Record<Band, number>, rollSize: number, indexSeconds: number, matchSeconds: number }

export interface RollEntry { record: PreparedRecord, urn: string }

/** Reads a roll CSV into prepared records (with each pupil's URN), for an index. */
export async function readRollFile(path: string, onProgress?: (rows: number) => void): Promise<RollEntry[]> {
  const entries: RollEntry[] = []
  let columns: Record<string, number> | undefined
  for await (const row of readCsvFile(path)) {
    if (!columns) {
      columns = columnsOf(row, ROLL_COLUMNS, path)
      continue
    }
    const get = (name: string) => row.values[columns![name]!] ?? ''
    const pupilId = get('pupil_id').trim()
    if (!pupilId) throw new LinkInputError(`${path}, line ${row.line}: pupil_id is empty`)
    entries.push({
      record: prepare({ id: pupilId, firstName: get('first_name'), middleNames: get('middle_names'), lastName: get('last_name'), dateOfBirth: get('date_of_birth'), gender: get('gender'), address: get('address'), postcode: get('postcode') }),
      urn: get('urn').trim()
    })
    if (onProgress && entries.length % 100_000 === 0) onProgress(entries.length)
  }
  if (!columns) columnsOf(undefined, ROLL_COLUMNS, path)
  return entries
}

export async function linkFiles(options: {
  rollPath: string
  childrenPath: string
  outPath: string
  model?: LinkageModel
  thresholds?: Thresholds
  progress?: (message: string) => void
}): Promise<LinkSummary> {
  const progress = options.progress ?? (() => {})
  const model = options.model ?? defaultModel()
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS
  // check the children's header first, so a wrong file fails before the slow part and writes nothing
  const childRows = readCsvFile(options.childrenPath)
  const header = await childRows.next()
  const columns = columnsOf(header.done ? undefined : header.value, CHILD_COLUMNS, options.childrenPath)
  const started = performance.now()
  const roll = await readRollFile(options.rollPath, (n) => progress(`read ${n.toLocaleString('en-GB')} pupils`))
  const index = new RollIndex(roll.map((entry) => entry.record))
  const indexSeconds = (performance.now() - started) / 1000
  progress(`indexed ${roll.length.toLocaleString('en-GB')} pupils in ${indexSeconds.toFixed(1)} s`)

  const out = createWriteStream(options.outPath)
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  await write(csvLine([...OUTPUT_COLUMNS]))
  const bands: Record<Band, number> = { auto: 0, review: 0, none: 0 }
  let children = 0
  const matchStarted = performance.now()
  let buffer = ''
  for await (const row of childRows) {
    const get = (name: string) => row.values[columns[name]!] ?? ''
    const childId = get('child_id').trim()
    if (!childId) throw new LinkInputError(`${options.childrenPath}, line ${row.line}: child_id is empty`)
    const child = prepare({ id: childId, firstName: get('first_name'), middleNames: get('middle_names'), lastName: get('last_name'), dateOfBirth: get('date_of_birth'), gender: get('gender'), address: get('address'), postcode: get('postcode') })
    const result = matchChild(index, model, child, thresholds)
    bands[result.band]++
    children++
    const best = result.band === 'none' ? undefined : result.best
    buffer += csvLine([childId, best?.id ?? '', best ? roll[best.recordId]?.urn ?? '' : '', result.best ? result.best.probability.toFixed(4) : '0', result.band])
    if (buffer.length > 1 << 16) {
      await write(buffer)
      buffer = ''
    }
    if (children % 10_000 === 0) progress(`matched ${children.toLocaleString('en-GB')} children`)
  }
  await write(buffer)
  out.end()
  await once(out, 'finish')
  const matchSeconds = (performance.now() - matchStarted) / 1000
  const peak = Math.round(process.resourceUsage().maxRSS / 1024)
  progress(`matched ${children.toLocaleString('en-GB')} children in ${matchSeconds.toFixed(1)} s: ${bands.auto} auto, ${bands.review} review, ${bands.none} none (peak memory ${peak} MiB)`)
  return { children, bands, rollSize: roll.length, indexSeconds, matchSeconds }
}
