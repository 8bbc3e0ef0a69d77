// The support directory: public pages a person at risk can read safely (no sign-in, no cookies, the
// quick exit on every page), the practitioners' directory of children's support, the gaps in provision
// for partnership leads, and the editors' pages that keep entries current.
import { longDate } from '../platform/time/dates.ts'
import type { FastifyRequest } from 'fastify'
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, originOf } from '../platform/http/server.ts'
import { list, text, uuidParams } from '../platform/http/forms.ts'
import { DirectoryService } from './directory.ts'
import { londonWallClock } from '../platform/time/london-time.ts'
import { DAYS, DAY_NAMES, describeState, describeWeek, openState } from './opening-hours.ts'
import {
  AGE_BANDS, AUDIENCES, CHECK_EVERY_MONTHS, EMPTY_FORM, NEEDS, SUPPORT_KINDS, TAGGED_NEEDS, WHO_OPTIONS,
  addMonths, ageRange, dueForCheck, findForPractitioners, findPublic, formFromEntry, practitionerFilters, provisionGaps,
  reachableOnline, smsHref, telHref, validateEntry, waitingTime
} from './rules.ts'
import type { Area, DirectoryEntry, EntryForm } from './rules.ts'

/** Where "Exit this page" goes: a neutral, everyday page (GOV.UK's own default). */
export const EXIT_URL = 'https://www.bbc.co.uk/weather'

const PUBLIC = { access: 'public', cookieless: true } as const
const EDITOR = { access: { permission: 'directory:manage' } } as const
const slugParams = { params: { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z0-9-]{1,100}$' } }, required: ['slug'] } }

const PUBLIC_NAVIGATION = [
  { href: '/support/services', text: 'Find support' },
  { href: '/support', text: 'Leaving this site quickly' },
  { href: '/support/staying-safe-online', text: 'Staying safe online' }
]

function publicNavigation(url: string) {
  const path = url.split('?')[0]
  return PUBLIC_NAVIGATION.map((item) => ({ ...item, active: path === item.href || (item.href === '/support/services' && path?.startsWith('/support/services/')) }))
}

const labelsOf = <T extends Record<string, string>>(vocabulary: T, values: string[]) => values.filter((v) => Object.hasOwn(vocabulary, v)).map((v) => vocabulary[v as keyof T])

/** An entry as the pages show it, at an instant. */
export function present(entry: DirectoryEntry, now: number) {
  const state = openState(entry.hours, now)
  return {
    ...entry,
    audienceLabels: labelsOf(AUDIENCES, entry.audiences),
    needLabels: labelsOf(NEEDS, entry.needs),
    kindLabels: labelsOf(SUPPORT_KINDS, entry.supportKinds),
    open: state.status === 'open' || state.status === 'always',
    hasHours: state.status !== 'no-hours',
    stateText: describeState(state, now),
    week: describeWeek(entry.hours),
    telHref: entry.phone ? telHref(entry.phone) : '',
    smsHref: entry.textNumber ? smsHref(entry.textNumber) : '',
    online: reachableOnline(entry),
    lastChecked: longDate(entry.lastCheckedOn),
    ages: ageRange(entry),
    waiting: waitingTime(entry)
  }
}

function nowText(now: number): string {
  const clock = londonWallClock(now)
  return `${describeTime(clock.minutes)} on ${DAY_NAMES[DAYS[clock.weekday]!]} ${longDate(clock.date)}`
}
function describeTime(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${h % 12 === 0 ? 12 : h % 12}:${String(m).padStart(2, '0')}${h < 12 ? 'am' : 'pm'}`
}

function readForm(body: unknown): EntryForm {
  return {
    name: text(body, 'name'), listings: list(body, 'listings'), summary: text(body, 'summary'), audiences: list(body, 'audiences'), needs: list(body, 'needs'),
    languages: text(body, 'languages'), phone: text(body, 'phone'), textNumber: text(body, 'textNumber'), webchatUrl: text(body, 'webchatUrl'),
    website: text(body, 'website'), contactNote: text(body, 'contactNote'), hoursKind: text(body, 'hoursKind'),
    days: Object.fromEntries(DAYS.map((day) => [day, text(body, `hours-${day}`)])) as EntryForm['days'],
    bankHolidays: text(body, 'bankHolidays'), bankHolidayHours: text(body, 'bankHolidayHours'), hoursNote: text(body, 'hoursNote'),
    areaDescription: text(body, 'areaDescription'), areaCodes: list(body, 'areaCodes'), supportKinds: list(body, 'supportKinds'),
    minAge: text(body, 'minAge'), maxAge: text(body, 'maxAge'), referralCriteria: text(body, 'referralCriteria'), howToRefer: text(body, 'howToRefer'),
    waitingWeeks: text(body, 'waitingWeeks'), waitingDay: text(body, 'waitingReportedOn-day'), waitingMonth: text(body, 'waitingReportedOn-month'),
    waitingYear: text(body, 'waitingReportedOn-year'), checked: text(body, 'checked') === 'yes'
  }
}

/** The editor's form: choices with what the form holds ticked. */
function formContext(form: EntryForm, areas: Area[]) {
  const items = (options: Array<[string, string]>, chosen: string[]) => options.map(([value, label]) => ({ value, text: label, checked: chosen.includes(value) }))
  return {
    form,
    listingItems: items([['public', 'The public support directory (anyone can read it, no sign-in)'], ['practitioner', "The practitioners' directory of children's support (signed in)"]], form.listings),
    audienceItems: items(Object.entries(AUDIENCES), form.audiences),
    needItems: items(TAGGED_NEEDS.map((need) => [need, NEEDS[need]]), form.needs),
    areaItems: items(areas.map((area) => [area.code, area.name]), form.areaCodes),
    kindItems: items(Object.entries(SUPPORT_KINDS), form.supportKinds),
    dayFields: DAYS.map((day) => ({ day, name: DAY_NAMES[day], value: form.days[day] })),
    hoursKind: form.hoursKind, bankHolidays: form.bankHolidays
  }
}

export const directoryRoutes: RouteRegistrar = async (app, services) => {
  const directory = new DirectoryService(services.db)
  const publicContext = (request: FastifyRequest, extra: Record<string, unknown>) => ({ exitUrl: EXIT_URL, publicNavigation: publicNavigation(request.url), ...extra })
  const today = () => londonWallClock(Date.now()).date

  // --- Public: no sign-in, no cookies -------------------------------------------------------------
  // In a scope of their own, so that even an error is answered with a public page: no cookie, the quick
  // exit, no staff wording, and nothing from the error itself.
  await app.register(async (scope) => {
    scope.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? 404 : 500
      if (status === 500) request.log.error(error)
      return reply.code(status).view('directory/views/public-not-found.njk', publicContext(request, {
        title: status === 404 ? 'Page not found' : 'Sorry, this page is not working'
      }))
    })

    scope.get('/support', { config: PUBLIC }, async (request, reply) => {
      return reply.view('directory/views/public-start.njk', publicContext(request, { title: 'Leaving this site quickly' }))
    })

    scope.get('/support/services', { config: PUBLIC }, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>
      const need = query.need && Object.hasOwn(NEEDS, query.need) ? query.need : ''
      const who = query.who && WHO_OPTIONS.some((option) => option.value === query.who) ? query.who : ''
      const now = Date.now()
      const found = findPublic(await directory.publicEntries(), { need, who }).map((entry) => present(entry, now))
      return reply.view('directory/views/public-services.njk', publicContext(request, {
        title: 'Find domestic abuse support', services: found, need, who, filtered: need !== '' || who !== '',
        needItems: [{ value: '', text: 'Any kind of help' }, ...Object.entries(NEEDS).map(([value, label]) => ({ value, text: label, selected: need === value }))],
        whoItems: [{ value: '', text: 'Anyone' }, ...WHO_OPTIONS.map((option) => ({ ...option, selected: who === option.value }))],
        nowText: nowText(now)
      }))
    })

    scope.get('/support/services/:slug', { schema: slugParams, config: PUBLIC }, async (request, reply) => {
      const entry = await directory.publicEntryBySlug((request.params as { slug: string }).slug)
      if (!entry) {
        return reply.code(404).view('directory/views/public-not-found.njk', publicContext(request, { title: 'Service not found' }))
      }
      const now = Date.now()
      return reply.view('directory/views/public-service.njk', publicContext(request, { title: entry.name, service: present(entry, now), nowText: nowText(now) }))
    })

    scope.get('/support/staying-safe-online', { config: PUBLIC }, async (request, reply) => {
      return reply.view('directory/views/public-safety.njk', publicContext(request, { title: 'Staying safe online' }))
    })

    // A mistyped public address is answered here, so it too sets no cookie and has the quick exit.
    scope.get('/support/*', { config: PUBLIC }, async (request, reply) => {
      return reply.code(404).view('directory/views/public-not-found.njk', publicContext(request, { title: 'Page not found' }))
    })
  })

  // --- Practitioners: anyone signed in ------------------------------------------------------------

  app.get('/directory', { config: { access: 'signed-in' } }, async (request, reply) => {
    const areas = await directory.areas()
    const query = request.query as Record<string, string | undefined>
    const { filters, errors } = practitionerFilters(query, areas)
    const now = Date.now()
    const found = findForPractitioners(await directory.practitionerEntries(), filters).map((entry) => present(entry, now))
    const areaNames = new Map(areas.map((area) => [area.code, area.name]))
    return reply.code(Object.keys(errors).length ? 400 : 200).view('directory/views/practitioners.njk', {
      title: "Children's support directory", width: 'full',
      services: found.map((service) => ({ ...service, areaNames: service.areaCodes.map((code) => areaNames.get(code) ?? code) })),
      age: (query.age ?? '').trim(), filtered: filters.age !== undefined || filters.need !== undefined || filters.area !== undefined,
      needItems: [{ value: '', text: 'Any kind of support' }, ...Object.entries(SUPPORT_KINDS).map(([value, label]) => ({ value, text: label, selected: filters.need === value }))],
      areaItems: [{ value: '', text: 'Any area' }, ...areas.map((area) => ({ value: area.code, text: area.name, selected: filters.area === area.code }))],
      errors, errorList: Object.entries(errors).map(([field, message]) => ({ text: message, href: `#${field}` }))
    })
  })

  app.get('/provision-gaps', { config: { access: { permission: 'provision-gap:view' } } }, async (request, reply) => {
    const areas = await directory.areas()
    const tables = provisionGaps(await directory.practitionerEntries(), areas)
    return reply.view('directory/views/gaps.njk', { title: "Gaps in children's support", width: 'full', tables, bands: AGE_BANDS, areas })
  })

  // --- Editors ------------------------------------------------------------------------------------

  app.get('/admin/directory', { config: EDITOR }, async (request, reply) => {
    const entries = await directory.entries()
    const day = today()
    const due = new Set(dueForCheck(entries, day).map((entry) => entry.id))
    const query = request.query as Record<string, string | undefined>
    return reply.view('directory/views/admin-list.njk', {
      title: 'Directory entries', width: 'full', months: CHECK_EVERY_MONTHS,
      due: dueForCheck(entries, day).map((entry) => ({ ...entry, lastChecked: longDate(entry.lastCheckedOn), dueOn: longDate(addMonths(entry.lastCheckedOn, CHECK_EVERY_MONTHS)) })),
      entries: entries.map((entry) => ({ ...entry, lastChecked: longDate(entry.lastCheckedOn), isDue: due.has(entry.id) })),
      saved: query.saved === '1', checked: query.checked === '1', created: query.created === '1'
    })
  })

  app.get('/admin/directory/new', { config: EDITOR }, async (request, reply) => {
    return reply.view('directory/views/admin-form.njk', { title: 'Add a service', action: '/admin/directory/new', isNew: true, ...formContext(EMPTY_FORM, await directory.areas()) })
  })

  app.post('/admin/directory/new', { config: EDITOR }, async (request, reply) => {
    const areas = await directory.areas()
    const form = readForm(request.body)
    const day = today()
    const { values, errors } = validateEntry(form, areas, day)
    if (!values) {
      return reply.code(400).view('directory/views/admin-form.njk', {
        title: 'Add a service', action: '/admin/directory/new', isNew: true, ...formContext(form, areas), errors: errors.byField, errorList: errors.summary
      })
    }
    await directory.create(values, day, actorOfRequest(request), originOf(request))
    return reply.redirect('/admin/directory?created=1', 303)
  })

  app.get('/admin/directory/:id', { schema: uuidParams, config: EDITOR }, async (request, reply) => {
    const entry = await directory.entry((request.params as { id: string }).id)
    if (!entry) return reply.callNotFound()
    return reply.view('directory/views/admin-form.njk', {
      title: `Edit ${entry.name}`, action: `/admin/directory/${entry.id}`, entry: { ...entry, lastChecked: longDate(entry.lastCheckedOn) },
      ...formContext(formFromEntry(entry), await directory.areas())
    })
  })

  app.post('/admin/directory/:id', { schema: uuidParams, config: EDITOR }, async (request, reply) => {
    const entry = await directory.entry((request.params as { id: string }).id)
    if (!entry) return reply.callNotFound()
    const areas = await directory.areas()
    const form = readForm(request.body)
    const day = today()
    const { values, errors } = validateEntry(form, areas, day)
    if (!values) {
      return reply.code(400).view('directory/views/admin-form.njk', {
        title: `Edit ${entry.name}`, action: `/admin/directory/${entry.id}`, entry: { ...entry, lastChecked: longDate(entry.lastCheckedOn) },
        ...formContext(form, areas), errors: errors.byField, errorList: errors.summary
      })
    }
    await directory.update(entry.id, values, form.checked ? day : undefined, actorOfRequest(request), originOf(request))
    return reply.redirect('/admin/directory?saved=1', 303)
  })

  app.post('/admin/directory/:id/checked', { schema: uuidParams, config: EDITOR }, async (request, reply) => {
    const found = await directory.markChecked((request.params as { id: string }).id, today(), actorOfRequest(request), originOf(request))
    if (!found) return reply.callNotFound()
    return reply.redirect('/admin/directory?checked=1', 303)
  })
}
