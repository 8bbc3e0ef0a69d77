// The support directory in a real browser (Chromium): an axe-core check on every page; the quick exit
// leaves the page by the button, by the Shift key three times and without JavaScript; and the public
// pages set no cookie and ask no host but Harbour for anything. The exit's destination is intercepted,
// so no request leaves this machine.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { testHarbour } from '../support/harbour.ts'
import type { TestHarbour } from '../support/harbour.ts'
import { assertNoPageProblems, checkAccessibility, clickAndWait, launchBrowser, openPage, visit } from '../support/browser.ts'
import { loadDemoDirectory } from '../../src/directory/demo.ts'
import { EXIT_URL } from '../../src/directory/routes.ts'
import { SESSION_COOKIE } from '../../src/platform/http/server.ts'

let harbour: TestHarbour
let browser: Browser
let publicPaths: string[] = []

before(async () => {
  harbour = await testHarbour({ listen: true })
  await loadDemoDirectory(harbour.services.db)
  browser = await launchBrowser()
  const slugs = (await harbour.services.db.selectFrom('directory_entry').select('slug').where('public_listing', '=', true).orderBy('priority').execute()).map((r) => r.slug)
  publicPaths = ['/support', '/support/services', '/support/services?need=online&who=women', '/support/services?who=deaf-bsl', '/support/staying-safe-online', ...slugs.map((slug) => `/support/services/${slug}`)]
})

after(async () => {
  await browser?.close()
  await harbour?.stop()
})

/**
 * A fresh page whose every request is watched: the exit destination is answered by the test itself
 * (nothing goes out), and every host asked for anything is recorded.
 */
async function withPublicPage(body: (page: Page, hosts: Set<string>, context: BrowserContext) => Promise<void>, options: { javaScript?: boolean } = {}): Promise<void> {
  let page: Page
  if (options.javaScript === false) {
    const context = await browser.newContext({ baseURL: harbour.url, javaScriptEnabled: false })
    page = await context.newPage()
  } else {
    page = await openPage(browser, harbour.url)
  }
  const context = page.context()
  const hosts = new Set<string>()
  context.on('request', (request) => { hosts.add(new URL(request.url()).host) })
  await context.route((url) => url.host !== new URL(harbour.url).host, async (route) => {
    if (route.request().url().startsWith(EXIT_URL)) {
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Weather (stand-in)</title><h1>Weather</h1></html>' })
    } else {
      await route.abort()
    }
  })
  try {
    await body(page, hosts, context)
    if (options.javaScript !== false) assertNoPageProblems(page)
  } finally {
    await context.close()
  }
}

const harbourHost = () => new URL(harbour.url).host

test('every public page passes axe, and the tour sets no cookie and asks no other host for anything', async () => {
  await withPublicPage(async (page, hosts, context) => {
    for (const path of publicPaths) {
      const response = await visit(page, path)
      assert.equal(response.status(), 200, path)
      assert.equal(await response.headerValue('set-cookie'), null, `${path} sets no cookie`)
      assert.equal(await page.locator('.govuk-exit-this-page').count(), 1, `${path} has Exit this page`)
      assert.match(await page.locator('#emergency').innerText(), /In an emergency, call 999\.[\s\S]*press 55/)
      await checkAccessibility(page)
    }
    assert.deepEqual(await context.cookies(), [], 'no cookie at all')
    assert.deepEqual([...hosts], [harbourHost()], 'no request to any other host')
    const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))
    assert.deepEqual(storage, { local: 0, session: 0 }, 'nothing kept in the browser')
  })
})

test('the Exit this page button leaves the page', async () => {
  await withPublicPage(async (page, hosts) => {
    await visit(page, '/support/services')
    await page.waitForFunction(() => document.body.dataset.govukFrontendExitThisPageKeypress === 'true')
    await page.getByRole('button', { name: 'Emergency Exit this page' }).click()
    await page.waitForURL(EXIT_URL)
    assert.equal(await page.title(), 'Weather (stand-in)')
    assert.deepEqual([...hosts].sort(), [harbourHost(), new URL(EXIT_URL).host].sort(), 'only Harbour and the (intercepted) exit destination')
  })
})

test('pressing Shift three times leaves the page', async () => {
  await withPublicPage(async (page) => {
    await visit(page, '/support/staying-safe-online')
    await page.waitForFunction(() => document.body.dataset.govukFrontendExitThisPageKeypress === 'true')
    await page.keyboard.press('Shift')
    await page.keyboard.press('Shift')
    assert.equal(new URL(page.url()).pathname, '/support/staying-safe-online', 'two presses are not enough')
    await page.keyboard.press('Shift')
    await page.waitForURL(EXIT_URL)
    assert.equal(await page.title(), 'Weather (stand-in)')
  })
})

test('the exit skip link is the second thing the keyboard reaches, and leaves', async () => {
  await withPublicPage(async (page) => {
    await visit(page, '/support')
    await page.waitForFunction(() => document.body.dataset.govukFrontendExitThisPageKeypress === 'true')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Exit this page')
    await page.keyboard.press('Enter')
    await page.waitForURL(EXIT_URL)
  })
})

test('without JavaScript the exit button is a plain link that still leaves, and the filters still work', async () => {
  await withPublicPage(async (page) => {
    await visit(page, '/support/services')
    await page.getByLabel('Who is the support for?').selectOption({ label: 'A man' })
    await clickAndWait(page, page.getByRole('button', { name: 'Show services' }))
    assert.equal(new URL(page.url()).searchParams.get('who'), 'men')
    assert.ok(await page.getByRole('link', { name: 'Trident Reach helpline for men', exact: true }).isVisible())
    await page.getByRole('button', { name: 'Emergency Exit this page' }).click()
    await page.waitForURL(EXIT_URL)
  }, { javaScript: false })
})

test('printed, a public page keeps the services and the emergency message and drops the exit button and filters', async () => {
  await withPublicPage(async (page) => {
    await visit(page, '/support/services')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('.govuk-exit-this-page').isVisible(), false)
    assert.equal(await page.locator('.harbour-filters').isVisible(), false)
    assert.equal(await page.locator('#emergency').isVisible(), true)
    assert.equal(await page.getByRole('heading', { name: 'Trident Reach helpline for men' }).isVisible(), true)
  })
})

/** A browser page signed in as a new person with these roles. */
async function signedInPage(roles: Parameters<TestHarbour['person']>[0]): Promise<Page> {
  const person = await harbour.person(roles)
  const page = await openPage(browser, harbour.url)
  await page.context().addCookies([{ name: SESSION_COOKIE, value: person.cookies[SESSION_COOKIE]!, url: harbour.url }])
  return page
}

test("the practitioners' directory, the gaps page and the editors' pages pass axe", async () => {
  const practitioner = await signedInPage(['social_worker'])
  try {
    await visit(practitioner, '/directory')
    await checkAccessibility(practitioner)
    await practitioner.getByLabel("Child's age").fill('3')
    await practitioner.getByLabel('Need').selectOption({ label: 'Therapeutic support' })
    await practitioner.getByLabel('Area').selectOption({ label: 'Harbourshire North' })
    await clickAndWait(practitioner, practitioner.getByRole('button', { name: 'Filter services' }))
    assert.deepEqual(await practitioner.locator('.govuk-summary-card__title').allInnerTexts(), ['Little Voices therapeutic play'])
    await checkAccessibility(practitioner)
    await practitioner.getByLabel("Child's age").fill('three')
    const bad = await clickAndWait(practitioner, practitioner.getByRole('button', { name: 'Filter services' }))
    assert.equal(bad.status(), 400)
    await checkAccessibility(practitioner)
  } finally {
    await practitioner.context().close()
  }

  const lead = await signedInPage(['partnership_lead'])
  try {
    await visit(lead, '/')
    await clickAndWait(lead, lead.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Gaps in provision' }))
    assert.equal(new URL(lead.url()).pathname, '/provision-gaps')
    await checkAccessibility(lead)
  } finally {
    await lead.context().close()
  }

  const editor = await signedInPage(['directory_editor'])
  try {
    await visit(editor, '/admin/directory')
    await checkAccessibility(editor)
    await clickAndWait(editor, editor.getByRole('button', { name: 'Add a service' }))
    await checkAccessibility(editor)
    const empty = await clickAndWait(editor, editor.getByRole('button', { name: 'Add the service' }))
    assert.equal(empty.status(), 400)
    assert.equal(await editor.locator('.govuk-error-summary').count(), 1)
    await checkAccessibility(editor)
    await editor.getByLabel('Name of the service').fill('Browser test night line (fictional)')
    await editor.getByLabel('The public support directory (anyone can read it, no sign-in)').check()
    await editor.getByLabel('What they offer').fill('A fictional line added in a browser test.')
    await editor.getByRole('checkbox', { name: 'Children and young people', exact: true }).check()
    await editor.getByRole('checkbox', { name: 'Someone to talk to', exact: true }).check()
    await editor.getByLabel('Website (optional)').fill('https://example.org/night')
    await editor.getByRole('radio', { name: 'Set hours each week (enter them below)' }).check()
    await editor.getByLabel('Friday').fill('21:00-02:00')
    await editor.getByLabel('Area covered, in words').fill('Harbourshire')
    const saved = await clickAndWait(editor, editor.getByRole('button', { name: 'Add the service' }))
    assert.equal(saved.status(), 200)
    assert.match(await editor.locator('.govuk-notification-banner').innerText(), /Service added/)
    await checkAccessibility(editor)
    await clickAndWait(editor, editor.getByRole('link', { name: 'Browser test night line (fictional)' }).first())
    await checkAccessibility(editor)
    await clickAndWait(editor, editor.getByRole('link', { name: 'Back to directory entries' }))
    await clickAndWait(editor, editor.getByRole('button', { name: /Still correct: mark checked/ }).first())
    assert.match(await editor.locator('.govuk-notification-banner').innerText(), /marked as checked/)
  } finally {
    await editor.context().close()
  }
})
