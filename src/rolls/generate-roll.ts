// A synthetic pupil roll for trying Harbour out (never real children): the linkage library's generator,
// its schools mapped onto the URNs asked for, written in the roll CSV format `import roll` reads.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { generateRoll } from '../linkage/synthetic.ts'
import { csvLine } from '../platform/csv.ts'

export const ROLL_CSV_HEADER = ['pupil_id', 'upn', 'urn', 'first_name', 'middle_names', 'last_name', 'date_of_birth', 'gender', 'address', 'postcode']

export async function writeSyntheticRoll(options: { pupils: number, urns: string[], seed: number, out: string }): Promise<{ pupils: number, urns: string[] }> {
  if (options.urns.length === 0 || options.urns.some((urn) => !/^\d{6}$/.test(urn))) throw new RangeError('--urns must be a comma-separated list of 6-digit URNs')
  const roll = generateRoll({ pupils: options.pupils, seed: options.seed, schools: options.urns.length })
  const urnOf = new Map<string, string>()
  for (const pupil of roll) if (!urnOf.has(pupil.urn)) urnOf.set(pupil.urn, options.urns[urnOf.size % options.urns.length]!)
  const out = createWriteStream(options.out)
  out.write(csvLine(ROLL_CSV_HEADER))
  for (const p of roll) {
    if (!out.write(csvLine([p.pupilId, p.upn, urnOf.get(p.urn)!, p.firstName, p.middleNames, p.lastName, p.dateOfBirth, p.gender, p.address, p.postcode]))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return { pupils: roll.length, urns: [...new Set(urnOf.values())] }
}
