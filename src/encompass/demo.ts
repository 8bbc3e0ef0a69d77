// Demo Operation Encompass notifications: two synthetic incidents posted through the real intake on the
// first start, so the DSL's inbox, the council's view and the escalation emails have something in them.
import type { Db } from '../platform/db/database.ts'
import type { IncidentIntake } from './intake.ts'

const MARKER = 'demo-incidents-loaded'

/** A pupil at a setting with no one at the same address sharing their birthday: the match is sure, with no twin guard. */
export async function lonePupil(db: Db, urn: string, offset = 0) {
  return await db.selectFrom('pupil as p').select(['p.id', 'p.urn', 'p.first_name', 'p.last_name', 'p.date_of_birth', 'p.address', 'p.postcode'])
    .where('p.urn', '=', urn).where('p.left_on', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('pupil as q').select('q.id').whereRef('q.address', '=', 'p.address').whereRef('q.date_of_birth', '=', 'p.date_of_birth').whereRef('q.id', '!=', 'p.id'))))
    .orderBy('p.pupil_ref').offset(offset).limit(1).executeTakeFirst()
}

export async function loadDemoIncidents(db: Db, intake: IncidentIntake, now = new Date()): Promise<boolean> {
  if (await db.selectFrom('setting').select('key').where('key', '=', MARKER).executeTakeFirst()) return false
  const police = await db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirst()
  const meadowbank = await lonePupil(db, '990001', 3)
  const riverside = await lonePupil(db, '990002', 3)
  if (!police || !meadowbank || !riverside) return false
  const child = (p: NonNullable<typeof meadowbank>, present: boolean) => ({
    firstName: p.first_name, lastName: p.last_name, dateOfBirth: p.date_of_birth, address: p.address, postcode: p.postcode, present, spokenTo: present
  })
  const actor = { organisationId: police.id, label: 'demo data' }
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000).toISOString()
  const incidents = [
    {
      policeReference: 'HPF/DEMO/0001', occurredAt: hoursAgo(6), location: '1 Synthetic Row (demo)', riskGrade: 'medium',
      circumstances: 'Police attended after a neighbour heard shouting. Adult B was arrested (synthetic demo record).',
      adults: [{ label: 'A', firstName: 'Demo', lastName: 'Parent' }, { label: 'B', firstName: 'Demo', lastName: 'Partner' }],
      children: [{ ...child(meadowbank, true), voiceOfChild: 'Said they hid in their room (synthetic)' }, child(riverside, false)]
    },
    {
      policeReference: 'HPF/DEMO/0002', occurredAt: hoursAgo(4), location: '7 Example Close (demo)', riskGrade: 'standard',
      circumstances: 'Verbal argument; no arrest (synthetic demo record).',
      adults: [{ label: 'A', firstName: 'Demo', lastName: 'Carer' }],
      children: [{ firstName: 'Rowan', lastName: 'Demo-Unknown', dateOfBirth: '2016-05-12', postcode: 'ZZ1 1ZZ', present: true }]
    }
  ]
  for (const body of incidents) {
    const result = await intake.receive(police.id, body, actor, {}, now)
    if (!result.ok) throw new Error(`Demo incident ${body.policeReference} was refused: ${JSON.stringify(result.errors)}`)
  }
  await db.insertInto('setting').values({ key: MARKER, value: JSON.stringify({ at: now.toISOString() }) }).execute()
  return true
}
