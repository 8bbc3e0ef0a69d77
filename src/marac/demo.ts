// The demo partnership's MARAC: two areas (Harbourshire City, fortnightly; Harbourshire North, monthly)
// and a few synthetic referrals (invented people): some heard at meetings in the last few months, some
// waiting in the queue, one of them a repeat. Loaded once, after the demo organisations, behind a marker.
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { addDays } from '../platform/time/london-time.ts'
import { todayInLondon } from '../platform/time/dates.ts'
import { londonInstant } from '../platform/time/london-time.ts'
import { allocateQueue, createReferral } from './cases.ts'

const MARKER = 'demo-marac-loaded'

export const DEMO_AREAS = [
  { code: 'HBC', name: 'Harbourshire City MARAC', council: 'Harbourshire City Council', rhythm: 'fortnightly' as const, first_meeting: '2026-01-06', capacity: 16, target_wait_days: 28, adult_women: 118_000, escalation_threshold: 3 },
  { code: 'HBN', name: 'Harbourshire North MARAC', council: 'Harbourshire City Council', rhythm: 'monthly' as const, first_meeting: '2026-01-14', capacity: 12, target_wait_days: 35, adult_women: 46_500, escalation_threshold: 3 }
]

interface DemoReferral { org: string, daysAgo: number, area: string, victim: [string, string, string], perpetrator: [string, string, string], children: Array<[string, string, string]>, yes: number, extra?: Record<string, unknown> }

const REFERRALS: DemoReferral[] = [
  { org: 'HPF', daysAgo: 130, area: 'HBC', victim: ['Amara', 'Demo-Okafor', '1991-04-12'], perpetrator: ['Liam', 'Demo-Carter', '1988-09-30'], children: [['Ella', 'Demo-Carter', '2016-05-03']], yes: 16 },
  { org: 'HDAS', daysAgo: 120, area: 'HBC', victim: ['Priya', 'Demo-Shah', '1984-11-02'], perpetrator: ['Rakesh', 'Demo-Shah', '1982-01-19'], children: [['Anya', 'Demo-Shah', '2012-02-14'], ['Dev', 'Demo-Shah', '2015-08-21']], yes: 14, extra: { diversity: { gender: 'female', ethnicity: 'asian', lgbt: 'no', disabled: 'no' } } },
  { org: 'HNHS', daysAgo: 100, area: 'HBC', victim: ['Sean', 'Demo-Murphy', '1979-06-25'], perpetrator: ['Dana', 'Demo-Murphy', '1980-03-08'], children: [], yes: 15, extra: { diversity: { gender: 'male', ethnicity: 'white-other', lgbt: 'not-known', disabled: 'yes' } } },
  { org: 'HPF', daysAgo: 90, area: 'HBN', victim: ['Keisha', 'Demo-Brown', '2009-01-15'], perpetrator: ['Tyler', 'Demo-Grant', '2008-07-07'], children: [], yes: 17, extra: { diversity: { gender: 'female', ethnicity: 'black', lgbt: 'no', disabled: 'no' } } },
  // waiting now: one of them a repeat of the first (a slip in the victim's first name: still recognised)
  { org: 'HPF', daysAgo: 12, area: 'HBC', victim: ['Amarah', 'Demo-Okafor', '1991-04-12'], perpetrator: ['Liam', 'Demo-Carter', '1988-09-30'], children: [['Ella', 'Demo-Carter', '2016-05-03'], ['Noah', 'Demo-Carter', '2023-01-11']], yes: 9 },
  { org: 'HCT', daysAgo: 9, area: 'HBC', victim: ['Joanne', 'Demo-Evans', '1995-12-01'], perpetrator: ['Mark', 'Demo-Price', '1990-10-10'], children: [['Lily', 'Demo-Evans', '2019-09-09']], yes: 14 },
  { org: 'HDAS', daysAgo: 4, area: 'HBC', victim: ['Agnieszka', 'Demo-Nowak', '1987-03-22'], perpetrator: ['Tomasz', 'Demo-Nowak', '1985-05-05'], children: [['Zofia', 'Demo-Nowak', '2014-06-30']], yes: 18, extra: { highPriority: true } },
  { org: 'HPF', daysAgo: 2, area: 'HBN', victim: ['Chloe', 'Demo-Hughes', '1999-08-18'], perpetrator: ['Ryan', 'Demo-Hughes', '1997-02-27'], children: [], yes: 14 }
]

export async function loadDemoMarac(db: Db): Promise<boolean> {
  if (await db.selectFrom('setting').select('key').where('key', '=', MARKER).executeTakeFirst()) return false
  const organisations = new Map((await db.selectFrom('organisation').select(['id', 'reference']).execute()).map((o) => [o.reference, o.id]))
  await db.insertInto('marac_area').values(DEMO_AREAS).onConflict((oc) => oc.column('code').doNothing()).execute()
  const actor = { label: 'system (demo data)' }
  const today = todayInLondon()
  // heard ones first (allocated as of a few days after they were referred), then the waiting ones
  for (const [n, demo] of REFERRALS.entries()) {
    const organisationId = organisations.get(demo.org)
    if (!organisationId) throw new Error(`Demo organisation ${demo.org} is missing`)
    const on = addDays(today, -demo.daysAgo)
    const { diversity, ...extra } = demo.extra ?? {}
    const result = await createReferral(db, {
      organisationId, actor, now: new Date(londonInstant(on, 10 * 60)),
      body: {
        referralReference: `DEMO-${n + 1}`, areaCode: demo.area, referrer: { name: 'Demo referrer', email: 'referrer@demo.harbour.invalid' },
        victim: { firstName: demo.victim[0], lastName: demo.victim[1], dateOfBirth: demo.victim[2], address: `${n + 1} Synthetic Street, Harbourshire`, postcode: 'HB1 4MP', safeContactNumber: '01632 960000', safeContactTime: 'Weekdays, 10am to 2pm', diversity: diversity ?? { gender: 'female', ethnicity: 'white-british', lgbt: 'no', disabled: 'no' } },
        perpetrators: [{ firstName: demo.perpetrator[0], lastName: demo.perpetrator[1], dateOfBirth: demo.perpetrator[2], relationshipToVictim: 'Ex-partner' }],
        children: demo.children.map(([firstName, lastName, dateOfBirth]) => ({ firstName, lastName, dateOfBirth, relationshipToVictim: 'Child', relationshipToPerpetrators: ['Child'], livesInHousehold: true, school: 'Meadowbank Primary School', schoolUrn: '990001' })),
        criteria: { riskAssessmentYesCount: demo.yes }, consent: 'given', victimKnows: true, safeToTalkTo: 'Her sister (synthetic)', unsafeToTalkTo: 'The perpetrator’s family (synthetic)',
        ...extra
      }
    })
    if (!result.ok) throw new Error(`Demo MARAC referral ${n + 1} was refused: ${JSON.stringify(result)}`)
    if (demo.daysAgo > 30) await allocateQueue(db, { areaCode: demo.area, actor, today: addDays(on, 1) })
  }
  // the IDVA service and the police attend every demo meeting, so their people see those agendas
  const meetings = await db.selectFrom('marac_meeting').select('id').execute()
  const attending = ['HDAS', 'HPF'].map((reference) => organisations.get(reference)).filter((id): id is string => id !== undefined)
  if (meetings.length > 0 && attending.length > 0) {
    await db.insertInto('marac_meeting_attendee').values(meetings.flatMap((m) => attending.map((organisationId) => ({ meeting_id: m.id, kind: 'agency' as const, organisation_id: organisationId, user_id: null, added_by_label: actor.label }))))
      .onConflict((oc) => oc.doNothing()).execute()
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('setting').values({ key: MARKER, value: JSON.stringify({ at: new Date().toISOString() }) }).execute()
    await appendAudit(trx, { actor: { label: 'system' }, action: 'demo-marac-load', details: { areas: DEMO_AREAS.length, referrals: REFERRALS.length } })
  })
  return true
}
