// Harbour's pages in a real browser (Chromium), each checked with axe-core against WCAG 2.2 AA, and
// each failing on a console error (a CSP violation, a script error) or a failed request to Harbour.
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { assertNoPageProblems, checkAccessibility, clickAndWait, visit, browserSuite, signIn } from '../support/browser.ts'
import { totpCode } from '../../src/platform/auth/totp.ts'

const ADMIN = 'admin@council.harbour.invalid'
const AUDITOR = 'auditor@council.harbour.invalid'
const LEAD = 'lead@council.harbour.invalid'

const suite = browserSuite()

/** A fresh page (its own cookies) for one test; fails the test if the page had problems. */
async function withPage(body: (page: Page) => Promise<void>): Promise<void> {
  const page = await suite.page()
  try {
    await body(page)
    assertNoPageProblems(page)
  } finally {
    await page.context().close()
  }
}

function path(page: Page): string {
  const url = new URL(page.url())
  return url.pathname + url.search
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').innerText()).trim()
}

function syntheticEmail(who: string): string {
  return `${who}.${randomBytes(3).toString('hex')}@trust.harbour.invalid`
}

/** Fills in and sends the invite form; returns the response of the page it lands on. */
async function invite(page: Page, person: { name: string, email: string, organisation: string, role: string }) {
  await page.getByLabel('Full name').fill(person.name)
  await page.getByLabel('Work email address').fill(person.email)
  await page.getByLabel('Organisation', { exact: true }).selectOption({ label: person.organisation })
  await page.getByRole('checkbox', { name: person.role, exact: true }).check()
  return await clickAndWait(page, page.getByRole('button', { name: 'Send invitation' }))
}

test('the sign-in page', async () => {
  await withPage(async (page) => {
    const response = await visit(page, '/sign-in')
    assert.equal(response.status(), 200)
    assert.equal(await page.title(), 'Sign in to Harbour – Harbour')
    assert.equal(await heading(page), 'Sign in to Harbour')
    assert.match(await page.locator('.govuk-inset-text').innerText(), /demonstration system with synthetic people/)
    // GOV.UK Frontend's JavaScript ran (the CSP let the nonce'd module scripts in): the password input has its "Show" button.
    await page.getByRole('button', { name: 'Show password' }).waitFor()
    await checkAccessibility(page)
  })
})

test('a failed sign-in shows the error summary and the inline error', async () => {
  await withPage(async (page) => {
    await visit(page, '/sign-in')
    const empty = await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }))
    assert.equal(empty.status(), 400)
    assert.deepEqual(await page.locator('.govuk-error-summary__list a').allInnerTexts(), ['Enter your email address', 'Enter your password'])
    await checkAccessibility(page)

    const response = await signIn(page, 'nobody@council.harbour.invalid', 'not-the-password')
    assert.equal(response.status(), 401)
    assert.equal(path(page), '/sign-in')
    assert.match(await page.title(), /^Error: Sign in to Harbour/)
    const summary = page.locator('.govuk-error-summary')
    assert.equal(await summary.getByRole('heading').innerText(), 'There is a problem')
    const link = summary.getByRole('link', { name: 'Enter the email address and password for your Harbour account' })
    assert.equal(await link.getAttribute('href'), '#email')
    // GOV.UK Frontend moves focus to the error summary.
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false), true)
    assert.match(await page.locator('#email-error').innerText(), /Error:\s*Enter the email address and password for your Harbour account/)
    assert.match(await page.locator('#email').getAttribute('aria-describedby') ?? '', /\bemail-error\b/)
    assert.equal(await page.locator('#email').inputValue(), 'nobody@council.harbour.invalid')
    assert.equal(await page.locator('#password').inputValue(), '', 'the password is not sent back')
    await checkAccessibility(page)
  })
})

test('the demo partnership administrator signs in through the form', async () => {
  await withPage(async (page) => {
    const response = await signIn(page, ADMIN)
    assert.equal(response.status(), 200)
    assert.equal(path(page), '/')
    assert.equal(await heading(page), 'Harbour')
    assert.match(await page.locator('main').innerText(), /Signed in as Alex Demo \(administrator\), Harbourshire City Council/)
    // The administrator's role sees nothing about children, so it never needs a second factor and
    // nothing was skipped: no demo notice (the auditor's test below sees one).
    assert.equal(await page.locator('#demo-notice').count(), 0)
    const navigation = page.getByRole('navigation', { name: 'Menu' })
    for (const item of ['Home', 'People', 'API keys', 'Mail outbox']) assert.equal(await navigation.getByRole('link', { name: item, exact: true }).count(), 1, `navigation has ${item}`)
    assert.equal(await navigation.getByRole('link', { name: 'Audit trail' }).count(), 0)
    await checkAccessibility(page)
  })
})

test('the administrator lists people, invites a person and finds the invitation in the mail outbox', async () => {
  await withPage(async (page) => {
    await signIn(page, ADMIN)
    const people = await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'People' }))
    assert.equal(people.status(), 200)
    assert.equal(path(page), '/admin/users')
    assert.equal(await heading(page), 'People')
    assert.equal(await page.getByRole('link', { name: 'Alex Demo (administrator)' }).count(), 1)
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('button', { name: 'Invite a person' }))
    assert.equal(path(page), '/admin/users/invite')
    assert.equal(await heading(page), 'Invite a person')
    await checkAccessibility(page)

    const email = syntheticEmail('pat.example')
    const invited = await invite(page, { name: 'Pat Example', email, organisation: "Harbourshire Children's Trust", role: 'Social worker' })
    assert.equal(invited.status(), 200)
    assert.match(path(page), /^\/admin\/users\/[0-9a-f-]{36}\?invited=1$/)
    assert.equal(await heading(page), 'Pat Example')
    const banner = page.locator('.govuk-notification-banner--success')
    assert.equal(await banner.isVisible(), true)
    assert.match(await banner.innerText(), new RegExp(`Invitation sent to ${email.replace(/\./g, '\\.')}`))
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Mail outbox' }))
    assert.equal(path(page), '/dev/outbox')
    const card = page.locator('.govuk-summary-card', { hasText: email })
    assert.equal(await card.count(), 1)
    assert.equal(await card.getByRole('heading').innerText(), 'You have been invited to Harbour')
    assert.match(await card.innerText(), /\/invitation\/[A-Za-z0-9_-]{43}/)
    await checkAccessibility(page)
  })
})

test('an invitation sent with mistakes shows the errors and can be put right on the same page', async () => {
  await withPage(async (page) => {
    await signIn(page, ADMIN)
    await visit(page, '/admin/users/invite')
    const offered = await page.getByRole('checkbox').count()
    assert.ok(offered >= 1)

    const empty = await clickAndWait(page, page.getByRole('button', { name: 'Send invitation' }))
    assert.equal(empty.status(), 400)
    assert.match(await page.title(), /^Error: Invite a person/)
    assert.deepEqual(await page.locator('.govuk-error-summary__list a').allInnerTexts(), [
      'Enter the person’s full name', 'Enter the person’s work email address', 'Select the person’s organisation', 'Select at least one role'
    ])
    assert.match(await page.locator('#displayName-error').innerText(), /Enter the person’s full name/)
    assert.match(await page.locator('#organisationId-error').innerText(), /Select the person’s organisation/)
    assert.match(await page.locator('#roles-error').innerText(), /Select at least one role/)
    await checkAccessibility(page)

    // The person must be able to put the mistakes right: every role is still offered.
    assert.equal(await page.getByRole('checkbox').count(), offered, 'after an error the invite page still offers every role to choose from')
    const email = syntheticEmail('sam.example')
    const invited = await invite(page, { name: 'Sam Example', email, organisation: 'Harbourshire Police', role: 'Police staff' })
    assert.equal(invited.status(), 200)
    assert.equal(await heading(page), 'Sam Example')
  })
})

test('the administrator creates an API key and sees it once', async () => {
  await withPage(async (page) => {
    await signIn(page, ADMIN)
    await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'API keys' }))
    assert.equal(path(page), '/admin/api-keys')
    assert.equal(await heading(page), 'API keys')
    await checkAccessibility(page)

    const empty = await clickAndWait(page, page.getByRole('button', { name: 'Create key' }))
    assert.equal(empty.status(), 400)
    assert.deepEqual(await page.locator('.govuk-error-summary__list a').allInnerTexts(), [
      'Select the organisation the key is for', 'Enter a name for the key, like the system that will use it'
    ])
    await checkAccessibility(page)

    await page.getByLabel('Organisation').selectOption({ label: 'Harbourshire Police (Police force)' })
    await page.getByLabel('Name', { exact: true }).fill('Police records system (browser test)')
    const created = await clickAndWait(page, page.getByRole('button', { name: 'Create key' }))
    assert.equal(created.status(), 200)
    assert.equal(await heading(page), 'API key created')
    const key = (await page.locator('#api-key').innerText()).trim()
    assert.match(key, /^hbr_[A-Za-z0-9_-]+$/)
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('link', { name: 'Back to API keys' }))
    assert.equal(path(page), '/admin/api-keys')
    const row = page.locator('tbody tr', { hasText: 'Police records system (browser test)' })
    assert.equal(await row.count(), 1)
    assert.equal((await page.content()).includes(key), false, 'the key is not shown again')
    assert.equal(await row.getByRole('button', { name: 'Revoke Police records system (browser test)' }).count(), 1)
    await checkAccessibility(page)
  })
})

test('signing out ends the session and shows the signed-out page', async () => {
  await withPage(async (page) => {
    await signIn(page, ADMIN)
    const response = await clickAndWait(page, page.getByRole('button', { name: 'Sign out' }))
    assert.equal(response.status(), 200)
    assert.equal(path(page), '/signed-out')
    assert.equal(await heading(page), 'You have signed out')
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0)
    await checkAccessibility(page)

    await visit(page, '/')
    assert.equal(path(page), '/sign-in', 'a signed-out browser is sent to sign in')
  })
})

test('the auditor searches the audit trail', async () => {
  await withPage(async (page) => {
    await signIn(page, AUDITOR)
    assert.equal(path(page), '/')
    assert.equal(await page.locator('#demo-notice').isVisible(), true)
    await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Audit trail' }))
    assert.equal(path(page), '/audit')
    assert.equal(await heading(page), 'Search the audit trail')
    await checkAccessibility(page)

    await page.getByLabel('From (YYYY-MM-DD)').fill('1 November')
    const wrong = await clickAndWait(page, page.getByRole('button', { name: 'Search' }))
    assert.equal(wrong.status(), 400)
    assert.match(await page.locator('#from-error').innerText(), /Enter the "from" date as YYYY-MM-DD/)
    await checkAccessibility(page)

    await page.getByLabel('From (YYYY-MM-DD)').fill('')
    await page.getByLabel('Action').fill('sign-in')
    const response = await clickAndWait(page, page.getByRole('button', { name: 'Search' }))
    assert.equal(response.status(), 200)
    assert.equal(path(page), '/audit?recordType=&recordId=&actor=&action=sign-in&from=&to=')
    const count = await page.locator('#results').innerText()
    assert.match(count, /^\d+ entr(y|ies)$/)
    assert.ok(Number.parseInt(count, 10) >= 1, `expected sign-ins in the audit trail, got "${count}"`)
    const rows = page.locator('tbody tr')
    assert.ok(await rows.count() >= 1)
    assert.deepEqual([...new Set(await rows.locator('td:nth-child(3)').allInnerTexts())].map((text) => text.split('\n')[0]), ['sign-in'])
    assert.equal(await rows.filter({ hasText: AUDITOR }).count() >= 1, true, 'the auditor’s own sign-in is there')
    await checkAccessibility(page)
  })
})

test('the partnership lead is refused the people page', async () => {
  await withPage(async (page) => {
    await signIn(page, LEAD)
    assert.equal(path(page), '/')
    assert.equal(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'People' }).count(), 0)
    const response = await visit(page, '/admin/users')
    assert.equal(response.status(), 403)
    assert.equal(await heading(page), 'You do not have access to this page')
    assert.match(await page.title(), /^You do not have access to this page – Harbour$/)
    await checkAccessibility(page)
  })
})

test('an unknown address shows the not-found page', async () => {
  await withPage(async (page) => {
    const response = await visit(page, '/no-such-page')
    assert.equal(response.status(), 404)
    assert.equal(await heading(page), 'Page not found')
    await checkAccessibility(page)
  })
})

test('a person who sees children’s records sets a password, then enrols and uses a second factor', async () => {
  const email = syntheticEmail('drew.example')
  let token = ''
  await withPage(async (page) => {
    await signIn(page, ADMIN)
    await visit(page, '/admin/users/invite')
    const invited = await invite(page, { name: 'Drew Example', email, organisation: "Harbourshire Children's Trust", role: 'Social worker' })
    assert.equal(invited.status(), 200)
    await visit(page, '/dev/outbox')
    const body = await page.locator('.govuk-summary-card', { hasText: email }).locator('pre').innerText()
    token = /\/invitation\/([A-Za-z0-9_-]{43})/.exec(body)?.[1] ?? ''
    assert.ok(token, `no invitation link in:\n${body}`)
  })

  await withPage(async (page) => {
    const invitation = await visit(page, `/invitation/${token}`)
    assert.equal(invitation.status(), 200)
    assert.equal(await heading(page), 'Set your password')
    assert.match(await page.locator('main').innerText(), new RegExp(email.replace(/\./g, '\\.')))
    await checkAccessibility(page)

    const password = `quiet-lantern-${randomBytes(4).toString('hex')}-otter`
    await page.getByLabel('New password', { exact: true }).fill(password)
    await page.getByLabel('Confirm your new password', { exact: true }).fill(`${password}-typo`)
    const mismatch = await clickAndWait(page, page.getByRole('button', { name: 'Set password' }))
    assert.equal(mismatch.status(), 400)
    assert.match(await page.locator('#confirmPassword-error').innerText(), /The passwords do not match/)
    await checkAccessibility(page)

    await page.getByLabel('New password', { exact: true }).fill(password)
    await page.getByLabel('Confirm your new password', { exact: true }).fill(password)
    const set = await clickAndWait(page, page.getByRole('button', { name: 'Set password' }))
    assert.equal(set.status(), 200)
    assert.equal(await heading(page), 'Your password is set')
    await checkAccessibility(page)

    const signedIn = await signIn(page, email, password)
    assert.equal(signedIn.status(), 200)
    assert.equal(path(page), '/sign-in/enrol')
    assert.equal(await heading(page), 'Set up your authenticator app')
    await checkAccessibility(page)

    const empty = await clickAndWait(page, page.getByRole('button', { name: 'Confirm and continue' }))
    assert.equal(empty.status(), 400)
    assert.match(await page.locator('#code-error').innerText(), /Enter the 6-digit code from your authenticator app/)
    await checkAccessibility(page)

    const secret = (await page.locator('#setup-key').innerText()).replace(/\s/g, '')
    assert.match(secret, /^[A-Z2-7]{32}$/)
    await page.getByLabel('Code from your authenticator app').fill(totpCode(secret))
    const enrolled = await clickAndWait(page, page.getByRole('button', { name: 'Confirm and continue' }))
    assert.equal(enrolled.status(), 200)
    assert.equal(path(page), '/')
    assert.match(await page.locator('main').innerText(), /Signed in as Drew Example, Harbourshire Children's Trust/)
    assert.equal(await page.locator('#demo-notice').count(), 0, 'a real account is not told it skipped the second factor')
    await checkAccessibility(page)

    // Next time: the code from the app, not enrolment. The current step's code is spent, so use the next one (allowed for clock drift).
    await clickAndWait(page, page.getByRole('button', { name: 'Sign out' }))
    await signIn(page, email, password)
    assert.equal(path(page), '/sign-in/second-factor')
    assert.equal(await heading(page), 'Enter the code from your authenticator app')
    await checkAccessibility(page)
    await page.getByLabel('Enter the code from your authenticator app').fill(totpCode(secret, Date.now() + 30_000))
    await clickAndWait(page, page.getByRole('button', { name: 'Continue' }))
    assert.equal(path(page), '/')
    assert.equal(await page.locator('#demo-notice').count(), 0)
  })
})
