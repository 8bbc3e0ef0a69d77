// The directory's first entries, loaded once with the demo partnership.
//
// The public entries are the support lines named in Birmingham's Domestic Abuse Prevention Strategy
// 2024-29 (shared/seeds), as the strategy describes them: numbers, hours and web addresses exactly as
// it gives them, nothing added. Where it says nothing about bank holidays, a weekday service is shown
// closed on them, so the directory never tells a person a line is open when it may not be; each entry
// is marked "not yet checked with the service" and heads the editors' reminder list until someone has.
//
// The practitioners' entries, the areas and one public night-time webchat are fictional (is_demo), to
// show the filters, an overnight service and the gaps in provision. None has a phone number or web
// address: there is nothing to contact.
import type { Db } from '../platform/db/database.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import { londonWallClock } from '../platform/time/london-time.ts'
import { WEEKDAYS, weekly } from './opening-hours.ts'
import type { Day, Period } from './opening-hours.ts'
import { addMonths, slugFor } from './rules.ts'
import type { EntryValues } from './rules.ts'
import { columnsOf } from './directory.ts'

const MARKER = 'demo-directory-loaded'
const SEED_SOURCE = 'Birmingham Domestic Abuse Prevention Strategy 2024-29; not yet checked with the service'
/** The strategy's date: its details are as at then. */
const SEED_CHECKED_ON = '2024-05-01'

const days = (list: readonly Day[], periods: Period[]) => Object.fromEntries(list.map((day) => [day, periods])) as Partial<Record<Day, Period[]>>
const ALL_DAYS: Day[] = [...WEEKDAYS, 'saturday', 'sunday']

type Seed = Partial<EntryValues> & Pick<EntryValues, 'name' | 'summary' | 'hours' | 'areaDescription'> & { priority?: number, isDemo?: boolean, checkedMonthsAgo?: number }

const blank: Omit<EntryValues, 'name' | 'summary' | 'hours' | 'areaDescription'> = {
  publicListing: false, practitionerListing: false, audiences: [], needs: [], languages: '', phone: '', textNumber: '', webchatUrl: '', website: '',
  contactNote: '', hoursNote: '', areaCodes: [], supportKinds: [], minAge: null, maxAge: null, referralCriteria: '', howToRefer: '',
  waitingWeeks: null, waitingReportedOn: null
}

export const SEEDED_SERVICES: Seed[] = [
  {
    name: 'Emergency services (999)', priority: 0, publicListing: true,
    summary: 'In an emergency, call 999. If you are in danger now, or someone is hurting you, ask for the police.',
    audiences: ['everyone'], needs: ['emergency'], phone: '999',
    contactNote: 'If you call 999 and cannot speak, listen to the questions and cough or tap the phone if you can. On a mobile, press 55 when you are asked to: your call will be put through to the police.',
    hours: { kind: 'always' }, areaDescription: 'Everywhere in the UK'
  },
  {
    name: 'Birmingham domestic abuse helpline', priority: 10, publicListing: true,
    summary: 'A domestic abuse helpline open to everyone, every day.',
    audiences: ['everyone'], needs: ['talk', 'advice'], phone: '0808 800 0028',
    hours: weekly(days(ALL_DAYS, [{ opens: '09:15', closes: '17:15' }]), { kind: 'usual' }),
    hoursNote: 'Every day, 9:15am to 5:15pm', areaDescription: 'Birmingham'
  },
  {
    name: "Domestic Abuse Hub: Birmingham and Solihull Women's Aid", priority: 20, publicListing: true,
    summary: "Support for women from Birmingham and Solihull Women's Aid, including a webchat.",
    audiences: ['women'], needs: ['talk', 'advice'], webchatUrl: 'https://bswaid.org/', website: 'https://bswaid.org/',
    contactNote: "The webchat is on Birmingham and Solihull Women's Aid's website.",
    hours: weekly(days(WEEKDAYS, [{ opens: '10:00', closes: '16:00' }])),
    hoursNote: 'Webchat hours: Monday to Friday, 10am to 4pm. Bank holiday hours not confirmed.', areaDescription: 'Birmingham and Solihull'
  },
  {
    name: 'Trident Reach helpline for men', priority: 20, publicListing: true,
    summary: 'A helpline for men who experience domestic abuse.',
    audiences: ['men'], needs: ['talk', 'advice'], phone: '0800 111 4223', website: 'https://tridentgroup.org.uk/care-support/domestic-abuse-services',
    hours: weekly(days(WEEKDAYS, [{ opens: '09:00', closes: '17:00' }])),
    hoursNote: 'Monday to Friday, 9am to 5pm. Bank holiday hours not confirmed.', areaDescription: 'Birmingham'
  },
  {
    name: "Birmingham LGBT's helpline", priority: 20, publicListing: true,
    summary: 'A helpline for LGBTQ+ people who experience domestic abuse.',
    audiences: ['lgbtq'], needs: ['talk', 'advice'], phone: '0121 643 0821', website: 'https://blgbt.org/services/support-services/domestic-violence/',
    hours: weekly({ ...days(WEEKDAYS, [{ opens: '10:00', closes: '21:00' }]), saturday: [{ opens: '11:30', closes: '19:00' }] }),
    hoursNote: 'Monday to Friday 10am to 9pm, Saturday 11:30am to 7pm. Bank holiday hours not confirmed.', areaDescription: 'Birmingham'
  },
  {
    name: 'Harbourshire Night Chat for young people (fictional demo entry)', priority: 50, publicListing: true, isDemo: true, checkedMonthsAgo: 1,
    summary: 'A fictional night-time webchat for children and young people, in the demonstration only, to show a service that is open past midnight. It is not a real service.',
    audiences: ['children', 'languages'], languages: 'English, Urdu and Polish (fictional)', needs: ['talk', 'children'],
    contactNote: 'Fictional: there is no real webchat. In an emergency call 999.',
    hours: weekly(days(ALL_DAYS, [{ opens: '21:00', closes: '02:00' }]), { kind: 'usual' }),
    hoursNote: 'Every night, 9pm to 2am (fictional)', areaDescription: 'Harbourshire (fictional)'
  }
]

const HARBOURSHIRE_AREAS = [
  { code: 'north', name: 'Harbourshire North' },
  { code: 'south', name: 'Harbourshire South' },
  { code: 'east', name: 'Harbourshire East' },
  { code: 'west', name: 'Harbourshire West' },
  { code: 'city-centre', name: 'Harbourshire City Centre' }
]
const ALL_AREAS = HARBOURSHIRE_AREAS.map((area) => area.code)
const OFFICE = weekly(days(WEEKDAYS, [{ opens: '09:00', closes: '17:00' }]))

const practitioners = (seed: Omit<Seed, 'areaDescription' | 'hours'> & { hours?: Seed['hours'] }): Seed => ({
  hours: OFFICE, areaDescription: seed.areaCodes?.length === ALL_AREAS.length ? 'All of Harbourshire' : (seed.areaCodes ?? []).map((code) => HARBOURSHIRE_AREAS.find((a) => a.code === code)?.name).join(', '),
  practitionerListing: true, isDemo: true, ...seed,
  summary: `Fictional, for the demonstration. ${seed.summary}`
})

export const DEMO_PRACTITIONER_SERVICES: Seed[] = [
  practitioners({
    name: 'Little Voices therapeutic play', checkedMonthsAgo: 2, supportKinds: ['therapeutic'], minAge: 3, maxAge: 10, areaCodes: ['north', 'south', 'city-centre'],
    summary: "One-to-one therapeutic play for children who have experienced domestic abuse, once they are safe, with sessions for the non-abusing parent on supporting the child's recovery.",
    referralCriteria: 'The abuse has stopped or the child is living apart from the person who harmed; the child shows emotional or behavioural effects.',
    howToRefer: 'Referral form from a social worker, school DSL or health visitor. Self-referral by the non-abusing parent is accepted.', waitingWeeks: 8
  }),
  practitioners({
    name: 'Riverside young people’s counselling', checkedMonthsAgo: 9, supportKinds: ['therapeutic'], minAge: 11, maxAge: 17, areaCodes: ['north', 'south', 'west', 'city-centre'],
    summary: 'Counselling for young people affected by domestic abuse at home or in their own relationships, in school or at a community base.',
    referralCriteria: 'Aged 11 to 17, affected by domestic abuse; young people can refer themselves.',
    howToRefer: 'Any professional, or the young person themselves, by the service’s referral line.', waitingWeeks: 12
  }),
  practitioners({
    name: 'Harbourshire Domestic Abuse Service: children and young people’s workers', checkedMonthsAgo: 1, supportKinds: ['childrens-da-worker'], minAge: 5, maxAge: 17,
    areaCodes: ALL_AREAS, summary: 'Specialist children’s domestic abuse workers: safety planning, one-to-one support and group work, alongside the adult victim’s IDVA or outreach worker.',
    referralCriteria: 'A child in a household where there is or has been domestic abuse, known to MARAC or to the adult service.',
    howToRefer: 'Through the adult victim’s IDVA or outreach worker, or from children’s social care.', waitingWeeks: 3
  }),
  practitioners({
    name: 'Bright Steps early years outreach', checkedMonthsAgo: 7, supportKinds: ['childrens-da-worker'], minAge: 0, maxAge: 4, areaCodes: ['north', 'west'],
    summary: 'Home-based support for babies and young children and their non-abusing parent after domestic abuse, with the health visiting service.',
    referralCriteria: 'A child under 5 where there has been domestic abuse in the last 12 months.',
    howToRefer: 'Health visitor, midwife, family hub or social worker referral.', waitingWeeks: 0
  }),
  practitioners({
    name: 'Harbourshire CAMHS single point of access', checkedMonthsAgo: 3, supportKinds: ['camhs-route'], minAge: 0, maxAge: 17, areaCodes: ALL_AREAS,
    summary: 'The route into children and young people’s mental health services. Trauma-informed assessment; children affected by domestic abuse are considered for the therapeutic pathway.',
    referralCriteria: 'Moderate to severe emotional or mental health needs. Lower needs are signposted to school-based or community support.',
    howToRefer: 'Referral by a GP, school, social worker or other professional to the single point of access, with the family’s agreement where it is safe to ask.', waitingWeeks: 18
  }),
  practitioners({
    name: 'Safer Families programme', checkedMonthsAgo: 4, supportKinds: ['perpetrator-programme'], minAge: 0, maxAge: 17, areaCodes: ['north', 'south', 'city-centre'],
    summary: 'A behaviour-change programme for fathers and partners who have been abusive, with a support worker for the partner and a focus on the children’s safety. Responsibility for the abuse rests with the person who harmed.',
    referralCriteria: 'A parent or partner who has used abuse in a family with children (the ages shown are the children’s), who admits some of the abuse and is not a high risk that MARAC is managing without a plan.',
    howToRefer: 'Children’s social care, probation or self-referral; the partner is contacted separately and safely.', waitingWeeks: 6
  }),
  practitioners({
    name: 'Respectful relationships for young people who harm at home', checkedMonthsAgo: 5, supportKinds: ['perpetrator-programme', 'therapeutic'], minAge: 10, maxAge: 17, areaCodes: ['east', 'west'],
    summary: 'Work with young people who are violent or abusive towards a parent or carer, and with the parent, often where the young person has themselves experienced domestic abuse.',
    referralCriteria: 'Aged 10 to 17, using violence or abuse towards a parent or carer at home.',
    howToRefer: 'Youth justice, early help, school or parent referral.', waitingWeeks: 10
  }),
  practitioners({
    name: 'Harbourshire Family Support recovery groups', checkedMonthsAgo: 12, supportKinds: ['therapeutic'], minAge: 4, maxAge: 11, areaCodes: ['east'],
    summary: 'A ten-week recovery group for children and, alongside it, a group for their mothers, after domestic abuse.',
    referralCriteria: 'The child and mother are no longer living with the person who harmed.',
    howToRefer: 'Any professional, or the mother herself.', waitingWeeks: 14
  })
]

/** Loads the areas and entries once: a second call changes nothing. */
export async function loadDemoDirectory(db: Db, now: Date = new Date()): Promise<boolean> {
  if (await db.selectFrom('setting').select('key').where('key', '=', MARKER).executeTakeFirst()) return false
  const today = londonWallClock(now).date
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('directory_area').values(HARBOURSHIRE_AREAS.map((area, position) => ({ ...area, position })))
      .onConflict((oc) => oc.column('code').doNothing()).execute()
    for (const seed of [...SEEDED_SERVICES, ...DEMO_PRACTITIONER_SERVICES]) {
      const { priority, isDemo, checkedMonthsAgo, ...rest } = seed
      const values: EntryValues = { ...blank, ...rest }
      const checkedOn = isDemo ? addMonths(today, -(checkedMonthsAgo ?? 1)) : SEED_CHECKED_ON
      await trx.insertInto('directory_entry').values({
        ...columnsOf({ ...values, waitingReportedOn: values.waitingWeeks === null ? null : addMonths(today, -1) }),
        slug: slugFor(values.name), priority: priority ?? 100, is_demo: isDemo ?? false,
        last_checked_on: checkedOn, last_checked_by: isDemo ? 'Demo data (fictional)' : SEED_SOURCE
      }).onConflict((oc) => oc.column('slug').doNothing()).execute()
    }
    await trx.insertInto('setting').values({ key: MARKER, value: JSON.stringify({ at: now.toISOString() }) }).execute()
    await appendAudit(trx, { actor: { label: 'system' }, action: 'demo-directory-load', details: { entries: SEEDED_SERVICES.length + DEMO_PRACTITIONER_SERVICES.length, areas: HARBOURSHIRE_AREAS.length } })
  })
  return true
}
