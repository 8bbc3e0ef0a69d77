// Demo rolls for the demo partnership's two schools, from the synthetic children generator, and a few
// children from a synthetic list waiting in the review queue. Loaded once, like the rest of the demo.
import type { Db } from '../platform/db/database.ts'
import { generateChildren, generateRoll } from '../linkage/synthetic.ts'
import type { RollMatcher } from './roll-matcher.ts'
import { queueForReview } from './review.ts'

const MARKER = 'demo-rolls-loaded'
const DEMO_URNS = ['990001', '990002']

export async function loadDemoRolls(db: Db, matcher: RollMatcher): Promise<boolean> {
  if (await db.selectFrom('setting').select('key').where('key', '=', MARKER).executeTakeFirst()) return false
  const roll = generateRoll({ pupils: 900, seed: 2026, schools: 2 })
  const urnOf = new Map<string, string>()
  for (const pupil of roll) if (!urnOf.has(pupil.urn)) urnOf.set(pupil.urn, DEMO_URNS[urnOf.size % DEMO_URNS.length]!)
  await db.transaction().execute(async (trx) => {
    const rollImport = await trx.insertInto('roll_import').values({
      source: 'csv', file_name: 'demo-rolls.csv', as_at: '2026-11-01', urns: DEMO_URNS, pupils: roll.length, joined: roll.length, left_roll: 0,
      imported_by_user_id: null, imported_by_label: 'demo data'
    }).returning('id').executeTakeFirstOrThrow()
    for (let i = 0; i < roll.length; i += 300) {
      await trx.insertInto('pupil').values(roll.slice(i, i + 300).map((p) => ({
        pupil_ref: p.pupilId, upn: p.upn, urn: urnOf.get(p.urn) ?? DEMO_URNS[0]!, first_name: p.firstName, middle_names: p.middleNames, last_name: p.lastName,
        date_of_birth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode, on_roll_since: '2026-09-01', last_import_id: rollImport.id
      }))).execute()
    }
    await trx.insertInto('setting').values({ key: MARKER, value: JSON.stringify({ at: new Date().toISOString() }) }).execute()
  })
  matcher.invalidate()
  // a synthetic list cross-matched against the rolls: the children Harbour was unsure of wait for review
  const list = generateChildren(roll, { children: 60, seed: 2027, errorScale: 2 })
  for (const child of list) {
    const reported = { firstName: child.firstName, middleNames: child.middleNames, lastName: child.lastName, dateOfBirth: child.dateOfBirth, gender: child.gender, address: child.address, postcode: child.postcode }
    const result = await matcher.match({ id: child.childId, ...reported })
    if (result.band === 'review') {
      await queueForReview(db, 'Demo list', child.childId, reported, result)
    }
  }
  return true
}
