// The support directory's rules, pure: its words (who a service is for, what a person needs, kinds of
// children's support, age bands), finding services by need and by who you are, practitioners' filters,
// gaps in provision, the six-monthly check, and what an editor may save.
import { longDate } from '../platform/time/dates.ts'
import { FormErrors } from '../platform/http/forms.ts'
import { DAYS, formatPeriods, parsePeriods } from './opening-hours.ts'
import type { Day, OpeningHours, Period } from './opening-hours.ts'

export const AUDIENCES = {
  everyone: 'Anyone',
  women: 'Women',
  men: 'Men',
  lgbtq: 'LGBTQ+ people',
  children: 'Children and young people',
  harmed: 'People who have harmed someone and want to stop',
  'deaf-bsl': 'Deaf people and BSL users',
  languages: 'People who speak community languages'
} as const
export type Audience = keyof typeof AUDIENCES

/** "Who is the support for?" as a person looking for help answers it. */
export const WHO_OPTIONS: Array<{ value: Exclude<Audience, 'everyone'>, text: string }> = [
  { value: 'women', text: 'A woman' },
  { value: 'men', text: 'A man' },
  { value: 'lgbtq', text: 'An LGBTQ+ person' },
  { value: 'children', text: 'A child or young person' },
  { value: 'deaf-bsl', text: 'Deaf or a BSL user' },
  { value: 'languages', text: 'Someone who would like help in a language other than English' },
  { value: 'harmed', text: 'Someone who has hurt a partner or family member and wants to stop' }
]

export const NEEDS = {
  emergency: 'Help in an emergency',
  talk: 'Someone to talk to',
  advice: 'Advice, support and safety planning',
  online: 'Chat online or by text instead of phoning',
  children: 'Support for a child or young person',
  'stop-harming': 'Help to stop hurting someone'
} as const
export type Need = keyof typeof NEEDS
/** Needs an editor tags an entry with; "online" is worked out from its webchat and text number. */
export const TAGGED_NEEDS: Need[] = ['emergency', 'talk', 'advice', 'children', 'stop-harming']

export const SUPPORT_KINDS = {
  therapeutic: 'Therapeutic support',
  'childrens-da-worker': "Specialist children's domestic abuse worker",
  'perpetrator-programme': 'Perpetrator programme',
  'camhs-route': 'CAMHS route'
} as const
export type SupportKind = keyof typeof SUPPORT_KINDS

export const AGE_BANDS = [
  { label: '0 to 4', min: 0, max: 4 },
  { label: '5 to 10', min: 5, max: 10 },
  { label: '11 to 15', min: 11, max: 15 },
  { label: '16 to 17', min: 16, max: 17 }
] as const

export const CHECK_EVERY_MONTHS = 6

export interface Area { code: string, name: string }

/** An entry as kept: the values an editor gives, and what Harbour adds. */
export interface DirectoryEntry extends EntryValues {
  id: string
  slug: string
  priority: number
  isDemo: boolean
  /** YYYY-MM-DD */
  lastCheckedOn: string
  lastCheckedBy: string
}

// ---------------------------------------------------------------------------------------------------
// Finding

const sortEntries = (a: DirectoryEntry, b: DirectoryEntry) => a.priority - b.priority || a.name.localeCompare(b.name, 'en-GB')

/** Whether an entry can be reached online (webchat) or by text. */
export function reachableOnline(entry: DirectoryEntry): boolean {
  return entry.webchatUrl !== '' || entry.textNumber !== ''
}

/**
 * The public directory, found by need and by who the support is for. A service for anyone counts for
 * women, men, LGBTQ+ people and children; for Deaf and BSL users, community languages and people who
 * have harmed, only a service that says so counts (a general line may not be accessible to them).
 */
export function findPublic(entries: DirectoryEntry[], filters: { need?: string | undefined, who?: string | undefined }): DirectoryEntry[] {
  const need = filters.need && Object.hasOwn(NEEDS, filters.need) ? filters.need as Need : undefined
  const who = filters.who && Object.hasOwn(AUDIENCES, filters.who) && filters.who !== 'everyone' ? filters.who as Audience : undefined
  return entries
    .filter((entry) => entry.publicListing)
    .filter((entry) => !need || (need === 'online' ? reachableOnline(entry) : entry.needs.includes(need)))
    .filter((entry) => !who || entry.audiences.includes(who) || (entry.audiences.includes('everyone') && ['women', 'men', 'lgbtq', 'children'].includes(who)))
    .sort(sortEntries)
}

export interface PractitionerFilters { age?: number | undefined, need?: SupportKind | undefined, area?: string | undefined }

/** Reads the practitioners' filters from a query; anything unreadable is no filter, with a message. */
export function practitionerFilters(query: Record<string, string | undefined>, areas: Area[]): { filters: PractitionerFilters, errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const filters: PractitionerFilters = {}
  const age = (query.age ?? '').trim()
  if (age !== '') {
    if (!/^\d{1,2}$/.test(age) || Number(age) > 25) errors.age = 'Enter the child’s age in whole years, from 0 to 25'
    else filters.age = Number(age)
  }
  if (query.need && Object.hasOwn(SUPPORT_KINDS, query.need)) filters.need = query.need as SupportKind
  if (query.area && areas.some((area) => area.code === query.area)) filters.area = query.area
  return { filters, errors }
}

/** The practitioners' directory, filtered by the child's age, the kind of support and the area. */
export function findForPractitioners(entries: DirectoryEntry[], filters: PractitionerFilters): DirectoryEntry[] {
  return entries
    .filter((entry) => entry.practitionerListing)
    .filter((entry) => filters.age === undefined || ((entry.minAge ?? 0) <= filters.age && filters.age <= (entry.maxAge ?? 25)))
    .filter((entry) => !filters.need || entry.supportKinds.includes(filters.need))
    .filter((entry) => !filters.area || entry.areaCodes.includes(filters.area))
    .sort(sortEntries)
}

export interface GapCell {
  band: string
  /** services that take at least one age in the band */
  services: string[]
  /** ages in the band that no service takes: all of them is a gap, some of them a partial gap */
  uncovered: number[]
  /** the ages some service takes, in words, for a partial gap: "age 4" */
  covered: string
  status: 'covered' | 'partial' | 'none'
}
export interface GapTable { kind: SupportKind | 'any', label: string, rows: Array<{ area: Area, cells: GapCell[] }>, gaps: number, partial: number }

const takesAge = (entry: DirectoryEntry, age: number) => (entry.minAge ?? 0) <= age && age <= (entry.maxAge ?? 25)

/** "Only age 4", "Only ages 3 to 4", "Only ages 0, 2 and 4": the ages in a band some service takes. */
export function describeAges(ages: number[]): string {
  if (ages.length === 1) return `age ${ages[0]}`
  const contiguous = ages.every((age, i) => i === 0 || age === ages[i - 1]! + 1)
  if (contiguous) return `ages ${ages[0]} to ${ages[ages.length - 1]}`
  return `ages ${ages.slice(0, -1).join(', ')} and ${ages[ages.length - 1]}`
}

/**
 * Where children's support is missing: for each kind of support (and for any kind), each area against
 * each age band, the services that take children of those ages there. A band with no service at any
 * age is a gap; a band where some ages have none is a partial gap.
 */
export function provisionGaps(entries: DirectoryEntry[], areas: Area[]): GapTable[] {
  const listed = entries.filter((entry) => entry.practitionerListing)
  const kinds: Array<SupportKind | 'any'> = ['any', ...Object.keys(SUPPORT_KINDS) as SupportKind[]]
  return kinds.map((kind) => {
    let gaps = 0
    let partial = 0
    const rows = areas.map((area) => {
      const here = listed.filter((entry) => (kind === 'any' || entry.supportKinds.includes(kind)) && entry.areaCodes.includes(area.code))
      return {
        area,
        cells: AGE_BANDS.map((band): GapCell => {
          const ages = Array.from({ length: band.max - band.min + 1 }, (_, i) => band.min + i)
          const services = here.filter((entry) => ages.some((age) => takesAge(entry, age))).map((entry) => entry.name)
          const uncovered = ages.filter((age) => !here.some((entry) => takesAge(entry, age)))
          const status = services.length === 0 ? 'none' : uncovered.length > 0 ? 'partial' : 'covered'
          if (status === 'none') gaps++
          if (status === 'partial') partial++
          const covered = ages.filter((age) => !uncovered.includes(age))
          return { band: band.label, services, uncovered, covered: covered.length ? describeAges(covered) : '', status }
        })
      }
    })
    return { kind, label: kind === 'any' ? 'Any kind of support' : SUPPORT_KINDS[kind], rows, gaps, partial }
  })
}

// ---------------------------------------------------------------------------------------------------
// Keeping it current

/** The date `months` calendar months after a date (31 August + 6 months is 28 or 29 February). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`
}

/** Whether an entry last checked on a date is due its check on `today` (both YYYY-MM-DD). */
export function checkDue(lastCheckedOn: string, today: string): boolean {
  return addMonths(lastCheckedOn, CHECK_EVERY_MONTHS) <= today
}

/** Entries not checked for six months, the longest unchecked first. */
export function dueForCheck(entries: DirectoryEntry[], today: string): DirectoryEntry[] {
  return entries.filter((entry) => checkDue(entry.lastCheckedOn, today)).sort((a, b) => a.lastCheckedOn.localeCompare(b.lastCheckedOn) || a.name.localeCompare(b.name))
}

/** "1 May 2024" for a YYYY-MM-DD date. */

/** The telephone link for a number as written: "0808 800 0028" is tel:08088000028. */
export function telHref(number: string): string {
  return `tel:${number.replace(/[^\d+]/g, '')}`
}

export function smsHref(number: string): string {
  return `sms:${number.replace(/[^\d+]/g, '')}`
}

/** "About 6 weeks (reported 3 March 2026)", "No wait (reported ...)", or "Not reported". */
export function waitingTime(entry: Pick<DirectoryEntry, 'waitingWeeks' | 'waitingReportedOn'>): string {
  if (entry.waitingWeeks === null) return 'Not reported'
  const wait = entry.waitingWeeks === 0 ? 'No wait' : `About ${entry.waitingWeeks} ${entry.waitingWeeks === 1 ? 'week' : 'weeks'}`
  return entry.waitingReportedOn ? `${wait} (reported ${longDate(entry.waitingReportedOn)})` : wait
}

export function ageRange(entry: Pick<DirectoryEntry, 'minAge' | 'maxAge'>): string {
  if (entry.minAge === null && entry.maxAge === null) return 'Any age'
  if (entry.minAge === null) return `Up to ${entry.maxAge}`
  if (entry.maxAge === null) return `${entry.minAge} and over`
  if (entry.minAge === entry.maxAge) return `${entry.minAge} only`
  return `${entry.minAge} to ${entry.maxAge}`
}

// ---------------------------------------------------------------------------------------------------
// Editing

/** What an editor's form holds, as typed (so a form with errors can be shown again as it was). */
export interface EntryForm {
  name: string
  listings: string[]
  summary: string
  audiences: string[]
  needs: string[]
  languages: string
  phone: string
  textNumber: string
  webchatUrl: string
  website: string
  contactNote: string
  hoursKind: string
  days: Record<Day, string>
  bankHolidays: string
  bankHolidayHours: string
  hoursNote: string
  areaDescription: string
  areaCodes: string[]
  supportKinds: string[]
  minAge: string
  maxAge: string
  referralCriteria: string
  howToRefer: string
  waitingWeeks: string
  waitingDay: string
  waitingMonth: string
  waitingYear: string
  checked: boolean
}

/** What the database keeps, from a valid form. */
export interface EntryValues {
  name: string
  publicListing: boolean
  practitionerListing: boolean
  summary: string
  audiences: string[]
  needs: string[]
  languages: string
  phone: string
  textNumber: string
  webchatUrl: string
  website: string
  contactNote: string
  hours: OpeningHours
  hoursNote: string
  areaDescription: string
  areaCodes: string[]
  supportKinds: string[]
  minAge: number | null
  maxAge: number | null
  referralCriteria: string
  howToRefer: string
  waitingWeeks: number | null
  /** YYYY-MM-DD */
  waitingReportedOn: string | null
}

export function formFromEntry(entry: DirectoryEntry): EntryForm {
  const hours = entry.hours
  const [wy, wm, wd] = entry.waitingReportedOn ? entry.waitingReportedOn.split('-') : ['', '', '']
  return {
    name: entry.name,
    listings: [...(entry.publicListing ? ['public'] : []), ...(entry.practitionerListing ? ['practitioner'] : [])],
    summary: entry.summary, audiences: entry.audiences, needs: entry.needs, languages: entry.languages,
    phone: entry.phone, textNumber: entry.textNumber, webchatUrl: entry.webchatUrl, website: entry.website, contactNote: entry.contactNote,
    hoursKind: hours.kind,
    days: Object.fromEntries(DAYS.map((day) => [day, hours.kind === 'weekly' ? formatPeriods(hours.week[day]) : ''])) as Record<Day, string>,
    bankHolidays: hours.kind === 'weekly' ? hours.bankHolidays.kind : 'closed',
    bankHolidayHours: hours.kind === 'weekly' && hours.bankHolidays.kind === 'special' ? formatPeriods(hours.bankHolidays.periods) : '',
    hoursNote: entry.hoursNote, areaDescription: entry.areaDescription, areaCodes: entry.areaCodes, supportKinds: entry.supportKinds,
    minAge: entry.minAge === null ? '' : String(entry.minAge), maxAge: entry.maxAge === null ? '' : String(entry.maxAge),
    referralCriteria: entry.referralCriteria, howToRefer: entry.howToRefer,
    waitingWeeks: entry.waitingWeeks === null ? '' : String(entry.waitingWeeks),
    waitingDay: wd ? String(Number(wd)) : '', waitingMonth: wm ? String(Number(wm)) : '', waitingYear: wy ?? '',
    checked: false
  }
}

export const EMPTY_FORM: EntryForm = {
  name: '', listings: [], summary: '', audiences: [], needs: [], languages: '', phone: '', textNumber: '', webchatUrl: '', website: '', contactNote: '',
  hoursKind: '', days: Object.fromEntries(DAYS.map((day) => [day, ''])) as Record<Day, string>, bankHolidays: 'closed', bankHolidayHours: '', hoursNote: '',
  areaDescription: '', areaCodes: [], supportKinds: [], minAge: '', maxAge: '', referralCriteria: '', howToRefer: '', waitingWeeks: '',
  waitingDay: '', waitingMonth: '', waitingYear: '', checked: true
}

const PHONE = /^\+?[0-9][0-9 ]{1,18}[0-9]$/

function validUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.') && !url.username && !url.password
  } catch {
    return false
  }
}

/** Checks an editor's form: the values to keep, or the errors to show beside each field. */
export function validateEntry(form: EntryForm, areas: Area[], today: string): { values?: EntryValues, errors: FormErrors } {
  const errors = new FormErrors()
  const isPublic = form.listings.includes('public')
  const isPractitioner = form.listings.includes('practitioner')
  const long = (field: string, value: string, max: number, label: string) => { if (value.length > max) errors.add(field, `${label} must be ${max} characters or fewer`) }

  if (!form.name) errors.add('name', 'Enter the name of the service')
  else long('name', form.name, 150, 'The name')
  if (!isPublic && !isPractitioner) errors.add('listings', 'Select where the service is listed: the public directory, the practitioners’ directory, or both')
  if (!form.summary) errors.add('summary', 'Enter what the service offers')
  else long('summary', form.summary, 1500, 'What the service offers')
  if (form.audiences.some((a) => !Object.hasOwn(AUDIENCES, a))) errors.add('audiences', 'Select who the service is for from the list')
  else if (isPublic && form.audiences.length === 0) errors.add('audiences', 'Select who the service is for')
  if (form.needs.some((n) => !TAGGED_NEEDS.includes(n as Need))) errors.add('needs', 'Select what the service helps with from the list')
  else if (isPublic && form.needs.length === 0) errors.add('needs', 'Select what the service helps with')
  long('languages', form.languages, 300, 'Languages')
  if (form.audiences.includes('languages') && !form.languages) errors.add('languages', 'Enter the community languages the service offers')

  if (form.phone && !PHONE.test(form.phone)) errors.add('phone', 'Enter a phone number using digits and spaces only, like 0808 800 0028')
  if (form.textNumber && !PHONE.test(form.textNumber)) errors.add('textNumber', 'Enter a text number using digits and spaces only, like 07700 900000')
  if (form.webchatUrl && (!validUrl(form.webchatUrl) || form.webchatUrl.length > 300)) errors.add('webchatUrl', 'Enter the webchat’s web address in full, like https://www.example.org/chat')
  if (form.website && (!validUrl(form.website) || form.website.length > 300)) errors.add('website', 'Enter the web address in full, like https://www.example.org')
  long('contactNote', form.contactNote, 500, 'The note on how to reach them')
  if (isPublic && !form.phone && !form.textNumber && !form.webchatUrl && !form.website && !form.contactNote) {
    errors.add('phone', 'Enter at least one way to reach the service: a phone number, a text number, a webchat or a website')
  }

  let hours: OpeningHours | undefined
  if (form.hoursKind === 'always') hours = { kind: 'always' }
  else if (form.hoursKind === 'none') hours = { kind: 'none' }
  else if (form.hoursKind === 'weekly') {
    const week = {} as Record<Day, Period[]>
    for (const day of DAYS) {
      const parsed = parsePeriods(form.days[day])
      if ('error' in parsed) errors.add(`hours-${day}`, parsed.error)
      else week[day] = parsed.periods
    }
    let bankHolidays: Extract<OpeningHours, { kind: 'weekly' }>['bankHolidays'] = { kind: 'closed' }
    if (form.bankHolidays === 'usual') bankHolidays = { kind: 'usual' }
    else if (form.bankHolidays === 'special') {
      const parsed = parsePeriods(form.bankHolidayHours)
      if ('error' in parsed) errors.add('bankHolidayHours', parsed.error)
      else if (parsed.periods.length === 0) errors.add('bankHolidayHours', 'Enter the bank holiday hours, or choose closed on bank holidays')
      else bankHolidays = { kind: 'special', periods: parsed.periods }
    } else if (form.bankHolidays !== 'closed') errors.add('bankHolidays', 'Select what happens on bank holidays')
    if (DAYS.every((day) => week[day]?.length === 0) && bankHolidays.kind !== 'special') {
      errors.add('hours-monday', 'Enter the hours for at least one day, or choose "no set hours"')
    }
    hours = { kind: 'weekly', week, bankHolidays }
  } else errors.add('hoursKind', 'Select when the service is open')
  long('hoursNote', form.hoursNote, 300, 'The note on hours')

  if (!form.areaDescription) errors.add('areaDescription', 'Enter the area the service covers')
  else long('areaDescription', form.areaDescription, 300, 'The area covered')
  if (form.areaCodes.some((code) => !areas.some((area) => area.code === code))) errors.add('areaCodes', 'Select areas from the list')
  else if (isPractitioner && form.areaCodes.length === 0) errors.add('areaCodes', 'Select the areas of the partnership the service covers')

  if (form.supportKinds.some((k) => !Object.hasOwn(SUPPORT_KINDS, k))) errors.add('supportKinds', 'Select kinds of support from the list')
  else if (isPractitioner && form.supportKinds.length === 0) errors.add('supportKinds', 'Select the kind of support')
  const age = (field: string, value: string, label: string): number | null => {
    if (value === '') {
      if (isPractitioner) errors.add(field, `Enter the ${label} age`)
      return null
    }
    if (!/^\d{1,2}$/.test(value) || Number(value) > 25) { errors.add(field, `The ${label} age must be a whole number from 0 to 25`); return null }
    return Number(value)
  }
  const minAge = age('minAge', form.minAge, 'youngest')
  const maxAge = age('maxAge', form.maxAge, 'oldest')
  if (minAge !== null && maxAge !== null && minAge > maxAge) errors.add('maxAge', 'The oldest age must be the same as or more than the youngest age')
  long('referralCriteria', form.referralCriteria, 1500, 'Referral criteria')
  if (isPractitioner && !form.howToRefer) errors.add('howToRefer', 'Enter how to refer a child')
  else long('howToRefer', form.howToRefer, 1500, 'How to refer')

  let waitingWeeks: number | null = null
  let waitingReportedOn: string | null = null
  const dateGiven = form.waitingDay || form.waitingMonth || form.waitingYear
  if (form.waitingWeeks !== '') {
    if (!/^\d{1,3}$/.test(form.waitingWeeks) || Number(form.waitingWeeks) > 520) errors.add('waitingWeeks', 'Enter the waiting time in whole weeks, like 6')
    else waitingWeeks = Number(form.waitingWeeks)
    if (!dateGiven) errors.add('waitingReportedOn', 'Enter the date the service reported the waiting time')
  } else if (dateGiven) errors.add('waitingWeeks', 'Enter the waiting time in whole weeks, or remove the date it was reported')
  if (dateGiven) {
    const [d, m, y] = [Number(form.waitingDay), Number(form.waitingMonth), Number(form.waitingYear)]
    const valid = /^\d{4}$/.test(form.waitingYear) && Number.isInteger(d) && Number.isInteger(m) && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
    if (!valid) errors.add('waitingReportedOn', 'The date the waiting time was reported must be a real date, like 3 3 2026')
    else {
      waitingReportedOn = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
      if (waitingReportedOn > today) errors.add('waitingReportedOn', 'The date the waiting time was reported must be today or in the past')
    }
  }

  if (errors.any || !hours) return { errors }
  return {
    errors,
    values: {
      name: form.name, publicListing: isPublic, practitionerListing: isPractitioner, summary: form.summary,
      audiences: form.audiences, needs: form.needs, languages: form.languages,
      phone: form.phone, textNumber: form.textNumber, webchatUrl: form.webchatUrl, website: form.website, contactNote: form.contactNote,
      hours, hoursNote: form.hoursNote, areaDescription: form.areaDescription, areaCodes: form.areaCodes,
      supportKinds: form.supportKinds, minAge, maxAge, referralCriteria: form.referralCriteria, howToRefer: form.howToRefer,
      waitingWeeks, waitingReportedOn
    }
  }
}

/** A web-address-safe name for a service: "Trident Reach (men)" is "trident-reach-men". */
export function slugFor(name: string): string {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/['’]/g, '').replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '')
  return slug || 'service'
}

/** Which of an entry's fields an edit changed, for the audit trail (names only, values are public). */
export function changedFields(before: EntryValues, after: EntryValues): string[] {
  return (Object.keys(after) as Array<keyof EntryValues>).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
}

