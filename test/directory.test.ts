// The support directory's pages: the public pages safe by design (no cookie, the quick exit and the
// emergency message on each, nothing from other websites, light), finding services, the editors'
// validation and audit, the practitioners' filters and the partnership leads' gaps page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { testHarbour, tokenFor } from './support/harbour.ts'
import type { TestHarbour } from './support/harbour.ts'
import { loadDemoDirectory } from '../src/directory/demo.ts'
import { EXIT_URL } from '../src/directory/routes.ts'
import { DirectoryService } from '../src/directory/directory.ts'
import { describeState, openState } from '../src/directory/opening-hours.ts'
import { londonWallClock } from '../src/platform/time/london-time.ts'
import { buildServer, SESSION_COOKIE } from '../src/platform/http/server.ts'
import { HARBOUR_ASSETS } from '../src/platform/http/assets.ts'

let harbour: TestHarbour
let directory: DirectoryService
let publicUrls: string[] = []
let serviceLinks = new Set<string>()

before(async () => {
  harbour = await testHarbour()
  assert.equal(await loadDemoDirectory(harbour.services.db), true)
  directory = new DirectoryService(harbour.services.db)
  const entries = await directory.publicEntries()
  serviceLinks = new Set(entries.flatMap((entry) => [entry.website, entry.webchatUrl]).filter((url) => url !== ''))
  publicUrls = [
    '/support', '/support/services', '/support/services?need=online', '/support/services?who=men', '/support/services?need=talk&who=lgbtq',
    '/support/services?who=deaf-bsl', '/support/staying-safe-online', '/support/services/no-such-service', '/support/no/such/page',
    ...entries.map((entry) => `/support/services/${entry.slug}`)
  ]
})
after(() => harbour.stop())

async function get(url: string, cookies?: Record<string, string>) {
  return await harbour.app.inject({ method: 'GET', url, ...(cookies ? { cookies } : {}) })
}

async function post(url: string, cookies: Record<string, string>, form: Record<string, string | string[]>) {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...form, _csrf: tokenFor(harbour, cookies) })) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(key, item)
  }
  return await harbour.app.inject({ method: 'POST', url, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() })
}

/** Every address the page would load or go to: src, href and action attributes. */
function addressesIn(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href|action)="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'))
}

const isExternal = (address: string) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(address) && !address.startsWith('tel:')

test('public pages set no cookie, for someone with no cookies and for someone signed in', async () => {
  const lead = await harbour.person(['partnership_lead'])
  const withoutCsrf = { [SESSION_COOKIE]: lead.cookies[SESSION_COOKIE]! }
  for (const url of publicUrls) {
    for (const cookies of [undefined, withoutCsrf]) {
      const response = await get(url, cookies)
      assert.equal(response.statusCode, /no-such|no\/such/.test(url) ? 404 : 200, `${url} answers`)
      assert.equal(response.headers['set-cookie'], undefined, `${url} sets no cookie${cookies ? ' (signed in)' : ''}`)
      assert.equal(response.headers['cache-control'], 'no-store')
      assert.doesNotMatch(response.body, /Sign out|harbour-signed-in-as|\/admin\//, `${url} shows no signed-in navigation`)
    }
  }
})

test('every public page has the Exit this page component, its skip link, and the emergency message', async () => {
  for (const url of publicUrls) {
    const { body } = await get(url)
    assert.match(body, /class="govuk-exit-this-page" data-module="govuk-exit-this-page"/, `${url} has the component`)
    assert.ok(body.includes(`href="${EXIT_URL}" role="button"`), `${url}: the exit button leaves for ${EXIT_URL}`)
    assert.match(body, /govuk-js-exit-this-page-skiplink/, `${url} has the exit skip link`)
    assert.match(body, /In an emergency, call <a class="govuk-link" href="tel:999">999<\/a>\./, `${url} has the emergency message`)
    assert.match(body, /press 55/, `${url} has the silent-call advice`)
    assert.match(body, /<script type="module" src="\/assets\/init.js" nonce=/, `${url} loads GOV.UK Frontend's script from Harbour`)
  }
})

test('public pages load nothing from and link nowhere outside Harbour, except the exit and the services’ own contact links', async () => {
  for (const url of publicUrls) {
    const { body, headers } = await get(url)
    const external = addressesIn(body).filter(isExternal).filter((address) => address !== EXIT_URL && !serviceLinks.has(address))
    assert.deepEqual(external, [], `${url} has no other outside address`)
    // and nothing is loaded from outside: scripts, styles, images and icons are all Harbour's own
    const loads = [...body.matchAll(/<(?:script|link|img)\b[^>]*\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!)
    assert.ok(loads.length > 0)
    for (const address of loads) assert.ok(address.startsWith('/assets/'), `${url} loads ${address} from Harbour`)
    assert.match(String(headers['content-security-policy']), /default-src 'self'/)
    assert.doesNotMatch(body, /googletagmanager|google-analytics|gtag\(|fbq\(|hotjar|plausible/i)
  }
  // the contact links are really there, as tel: links and the services' web addresses
  const { body } = await get('/support/services')
  assert.ok(body.includes('href="tel:08088000028"'))
  assert.ok(body.includes('href="https://bswaid.org/"'))
})

test('public pages weigh under 100 KB before fonts and the GOV.UK assets', async (t) => {
  const own = ['directory.css', 'init.js'].reduce((sum, file) => sum + readFileSync(path.join(HARBOUR_ASSETS, file)).length, 0)
  const govuk = (await Promise.all(['govuk-frontend.min.css', 'govuk-frontend.min.js'].map((file) => get(`/assets/${file}`)))).reduce((sum, r) => sum + r.rawPayload.length, 0)
  for (const url of publicUrls) {
    const { rawPayload } = await get(url)
    const html = rawPayload.length
    t.diagnostic(`${url}: HTML ${(html / 1024).toFixed(1)} KB; with Harbour's CSS and JS ${((html + own) / 1024).toFixed(1)} KB; with GOV.UK's CSS and JS too ${((html + own + govuk) / 1024).toFixed(1)} KB`)
    assert.ok(html + own < 100 * 1024, `${url} weighs ${html + own} bytes`)
  }
})

test('finding services by need and by who you are', async () => {
  const names = async (query: string) => [...(await get(`/support/services${query}`)).body.matchAll(/<h3 class="govuk-heading-m" id="service-[^"]+"><a class="govuk-link" href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"))
  const all = await names('')
  assert.equal(all[0], 'Emergency services (999)', 'the emergency number comes first')
  assert.equal(all.length, 6)
  const men = await names('?who=men')
  assert.ok(men.includes('Trident Reach helpline for men'))
  assert.ok(men.includes('Birmingham domestic abuse helpline'), 'a line open to everyone is for men too')
  assert.ok(!men.includes("Birmingham LGBT's helpline"))
  assert.ok(!men.some((name) => name.includes("Women's Aid")))
  const online = await names('?need=online')
  assert.deepEqual(online, ["Domestic Abuse Hub: Birmingham and Solihull Women's Aid"], 'only a service with a webchat or text number')
  const lgbtTalk = await names('?need=talk&who=lgbtq')
  assert.deepEqual(lgbtTalk, ['Birmingham domestic abuse helpline', "Birmingham LGBT's helpline"])
  const deaf = await get('/support/services?who=deaf-bsl')
  assert.match(deaf.body, /0 services for what you chose/)
  assert.match(deaf.body, /No service in this directory matches what you chose yet/)
  // a made-up filter is no filter
  assert.equal((await names('?need=<script>&who=x')).length, 6)
})

test('each service shows open now or when it next opens, its hours, and how to reach it', async () => {
  const entry = (await directory.publicEntries()).find((e) => e.slug === 'birmingham-lgbts-helpline')!
  const before = Date.now()
  const { body } = await get('/support/services/birmingham-lgbts-helpline')
  const after = Date.now()
  const expected = [before, after].map((t) => describeState(openState(entry.hours, t), t))
  assert.ok(expected.some((text) => body.includes(text)), `the page says one of ${expected.join(' / ')}`)
  assert.match(body, /Monday to Friday<\/dt>\s*<dd class="govuk-summary-list__value">10am to 9pm/)
  assert.match(body, /Saturday<\/dt>\s*<dd class="govuk-summary-list__value">11:30am to 7pm/)
  assert.match(body, /Bank holidays<\/dt>\s*<dd class="govuk-summary-list__value">Closed/)
  assert.ok(body.includes('href="tel:01216430821"'))
  assert.ok(body.includes('https://blgbt.org/services/support-services/domestic-violence/'))
  assert.match(body, /Area covered<\/dt>\s*<dd class="govuk-summary-list__value">Birmingham/)
  const always = await get('/support/services/emergency-services-999')
  assert.match(always.body, /Open now: 24 hours a day, every day/)
  const fictional = await get('/support/services/harbourshire-night-chat-for-young-people-fictional-demo-entry')
  assert.match(fictional.body, /Fictional demo entry: not a real service/)
  assert.match(fictional.body, /9pm to 2am the next day/)
})

test('the staying-safe page says plainly what quick exit does not do', async () => {
  const { body } = await get('/support/staying-safe-online')
  assert.match(body, /does not clear your browsing history/)
  const start = await get('/support')
  assert.match(start.body, /govuk-panel--interruption/)
  assert.match(start.body, /press the <strong>Shift<\/strong> key 3 times/)
  assert.match(start.body, /href="\/support\/services"/)
})

test('a cookieless route must be a public GET page', async () => {
  await assert.rejects(buildServer(harbour.services, [(app) => { app.post('/x', { config: { access: 'public', cookieless: true } }, async () => 'x') }]), /only public GET pages/)
  await assert.rejects(buildServer(harbour.services, [(app) => { app.get('/y', { config: { access: 'signed-in', cookieless: true } }, async () => 'y') }]), /only public GET pages/)
})

// --- Editors -------------------------------------------------------------------------------------

const VALID = {
  name: 'Test Riverside Night Line', listings: ['public', 'practitioner'], summary: 'A fictional test line for young people.',
  audiences: ['children'], needs: ['talk', 'children'], phone: '', website: 'https://example.org/night-line', hoursKind: 'weekly',
  'hours-monday': '21:00-02:00', 'hours-friday': '9pm to 2am', bankHolidays: 'special', bankHolidayHours: '10:00-14:00',
  areaDescription: 'Harbourshire North', areaCodes: ['north'], supportKinds: ['therapeutic'], minAge: '11', maxAge: '17',
  howToRefer: 'By the referral form.', waitingWeeks: '4', 'waitingReportedOn-day': '1', 'waitingReportedOn-month': '2', 'waitingReportedOn-year': '2026',
  checked: 'yes'
}

test('an editor’s empty form names every field that needs an answer, and stores nothing', async () => {
  const editor = await harbour.person(['directory_editor'])
  const count = async () => Number((await harbour.services.db.selectFrom('directory_entry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const before = await count()
  const empty = await post('/admin/directory/new', editor.cookies, {})
  assert.equal(empty.statusCode, 400)
  for (const [field, message] of [['name', 'Enter the name of the service'], ['listings', 'Select where the service is listed'], ['summary', 'Enter what the service offers'], ['hoursKind', 'Select when the service is open'], ['areaDescription', 'Enter the area the service covers']] as Array<[string, string]>) {
    assert.ok(empty.body.includes(`href="#${field}"`), `the error summary links to ${field}`)
    assert.ok(empty.body.includes(message), `says "${message}"`)
  }
  const practitioner = await post('/admin/directory/new', editor.cookies, { name: 'X', listings: 'practitioner', summary: 'Y', hoursKind: 'none', areaDescription: 'Z' })
  for (const message of ['Select the areas of the partnership', 'Select the kind of support', 'Enter the youngest age', 'Enter the oldest age', 'Enter how to refer a child']) {
    assert.ok(practitioner.body.includes(message), `says "${message}"`)
  }
  const wrong = await post('/admin/directory/new', editor.cookies, {
    ...VALID, phone: 'call us', website: 'javascript:alert(1)', 'hours-monday': '9-5', minAge: '12', maxAge: '10', bankHolidayHours: '', 'waitingReportedOn-day': '31', 'waitingReportedOn-month': '2'
  })
  assert.equal(wrong.statusCode, 400)
  for (const message of ['Enter a phone number using digits', 'Enter the web address in full', 'is not a time: enter times like 09:00 or 9am', 'The oldest age must be the same as or more than the youngest age', 'Enter the bank holiday hours', 'must be a real date']) {
    assert.ok(wrong.body.includes(message), `says "${message}"`)
  }
  assert.match(wrong.body, /value="9-5"/, 'what was typed is shown again')
  const publicWithoutContact = await post('/admin/directory/new', editor.cookies, { ...VALID, website: '' })
  assert.match(publicWithoutContact.body, /Enter at least one way to reach the service/)
  assert.equal(await count(), before)
})

test('an editor adds, edits and checks an entry, and each change is audited', async () => {
  const editor = await harbour.person(['directory_editor'])
  const created = await post('/admin/directory/new', editor.cookies, VALID)
  assert.equal(created.statusCode, 303)
  assert.equal(created.headers.location, '/admin/directory?created=1')
  const row = await harbour.services.db.selectFrom('directory_entry').select(['id', 'slug', 'hours', 'last_checked_by']).where('name', '=', VALID.name).executeTakeFirstOrThrow()
  assert.equal(row.slug, 'test-riverside-night-line')
  assert.deepEqual(row.hours, {
    kind: 'weekly',
    week: { monday: [{ opens: '21:00', closes: '02:00' }], tuesday: [], wednesday: [], thursday: [], friday: [{ opens: '21:00', closes: '02:00' }], saturday: [], sunday: [] },
    bankHolidays: { kind: 'special', periods: [{ opens: '10:00', closes: '14:00' }] }
  })
  const audit = async (action: string) => await harbour.services.db.selectFrom('audit_event').selectAll().where('action', '=', action).where('record_id', '=', row.id).execute()
  const [create] = await audit('directory-entry-create')
  assert.equal(create?.actor_user_id, editor.userId)
  assert.equal(create?.record_type, 'directory-entry')
  assert.equal((create?.details as Record<string, unknown>).slug, 'test-riverside-night-line')
  const page = await get('/support/services/test-riverside-night-line')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /9pm to 2am the next day/)

  const form = await get(`/admin/directory/${row.id}`, editor.cookies)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /value="21:00-02:00"/)
  const edited = await post(`/admin/directory/${row.id}`, editor.cookies, { ...VALID, summary: 'A changed summary.', waitingWeeks: '6', checked: '' })
  assert.equal(edited.statusCode, 303)
  const [change] = await audit('directory-entry-change')
  assert.deepEqual((change?.details as Record<string, unknown>).changed, ['summary', 'waitingWeeks'])
  assert.equal((change?.details as Record<string, unknown>).checked, false)

  // an entry not checked for six months is on the reminder list until someone marks it checked
  await harbour.services.db.updateTable('directory_entry').set({ last_checked_on: '2025-01-15' }).where('id', '=', row.id).execute()
  const list = await get('/admin/directory', editor.cookies)
  const due = list.body.slice(list.body.indexOf('id="due"'), list.body.indexOf('All entries'))
  assert.ok(due.includes(VALID.name), 'on the reminder list')
  assert.ok(due.includes('Trident Reach helpline for men'), 'the seeded services have not been checked with the services yet')
  assert.ok(!due.includes('Little Voices therapeutic play'), 'checked two months ago: not due')
  assert.match(due, /15 January 2025/)
  const checked = await post(`/admin/directory/${row.id}/checked`, editor.cookies, {})
  assert.equal(checked.statusCode, 303)
  const [mark] = await audit('directory-entry-checked')
  assert.equal((mark?.details as Record<string, unknown>).checkedOn, londonWallClock(Date.now()).date)
  const after = await get('/admin/directory', editor.cookies)
  assert.ok(!after.body.slice(after.body.indexOf('id="due"'), after.body.indexOf('All entries')).includes(VALID.name))
  assert.equal((await post('/admin/directory/00000000-0000-4000-8000-000000000000/checked', editor.cookies, {})).statusCode, 404)
})

// --- Practitioners and partnership leads ---------------------------------------------------------

test("practitioners filter children's support by the child's age, need and area", async () => {
  const worker = await harbour.person(['social_worker'])
  const names = async (query: string) => {
    const response = await get(`/directory${query}`, worker.cookies)
    assert.equal(response.statusCode, 200)
    return [...response.body.matchAll(/<h3 class="govuk-summary-card__title">([^<]+)<\/h3>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"))
  }
  const all = await names('')
  assert.ok(all.length >= 8)
  assert.ok(!all.includes('Trident Reach helpline for men'), 'public-only entries are not listed')
  assert.deepEqual(await names('?age=3&need=therapeutic&area=north'), ['Little Voices therapeutic play'])
  assert.deepEqual(await names('?age=3&need=therapeutic&area=east'), [])
  assert.deepEqual((await names('?age=2')).sort(), ['Bright Steps early years outreach', 'Harbourshire CAMHS single point of access', 'Safer Families programme'])
  assert.ok((await names('?need=perpetrator-programme')).every((name) => ['Safer Families programme', 'Respectful relationships for young people who harm at home'].includes(name)))
  assert.ok(!(await names('?area=east')).includes('Bright Steps early years outreach'))
  const page = await get('/directory?age=3&need=camhs-route', worker.cookies)
  assert.match(page.body, /About 18 weeks \(reported/)
  assert.match(page.body, /Demo entry: fictional/)
  const bad = await get('/directory?age=old', worker.cookies)
  assert.equal(bad.statusCode, 400)
  assert.match(bad.body, /Enter the child’s age in whole years/)
  assert.match(bad.body, /href="#age"/)
})

test('partnership leads see the gaps in provision; others do not', async () => {
  const lead = await harbour.person(['partnership_lead'])
  const page = await get('/provision-gaps', lead.cookies)
  assert.equal(page.statusCode, 200)
  const therapeutic = page.body.slice(page.body.indexOf('Therapeutic support:'), page.body.indexOf("Specialist children&#39;s domestic abuse worker:"))
  const row = (area: string, next: string) => therapeutic.slice(therapeutic.indexOf(area), therapeutic.indexOf(next))
  const west = row('Harbourshire West', 'Harbourshire City Centre')
  assert.match(west, /^Harbourshire West<\/th>\s*<td class="govuk-table__cell">\s*<strong class="govuk-tag govuk-tag--red">No service<\/strong>/, 'no therapeutic service for under-5s in the West')
  const east = row('Harbourshire East', 'Harbourshire West')
  assert.match(east, /Only age 4/, 'in the East, a service takes 4-year-olds but none takes younger children')
  assert.match(east, /Harbourshire Family Support recovery groups/)
  assert.match(page.body, /Any kind of support: \d+ gaps?/)
  const worker = await harbour.person(['social_worker'])
  assert.equal((await get('/provision-gaps', worker.cookies)).statusCode, 403)
})

test('the demo directory loads once', async () => {
  const before = (await directory.entries()).length
  assert.equal(await loadDemoDirectory(harbour.services.db), false)
  assert.equal((await directory.entries()).length, before)
})

test('a bad address on a public page gets the public not-found page: no cookie, the quick exit, nothing from the error', async () => {
  const response = await harbour.app.inject({ method: 'GET', url: '/support/services/Not_A_Slug' })
  assert.equal(response.statusCode, 404)
  assert.equal(response.headers['set-cookie'], undefined)
  assert.match(response.body, /govuk-exit-this-page/)
  assert.doesNotMatch(response.body, /must match pattern|sensitive information about children/)
})
