// MARAC in a real browser, with an axe check on each page: the coordinator opens the queue (the demo's
// waiting referrals, the next meetings, the trend), allocates it, opens a referral with its children,
// and opens the quarterly return; a police officer's referral form, with its errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertNoPageProblems, browserSuite, checkAccessibility, clickAndWait, signIn, visit } from '../support/browser.ts'

const suite = browserSuite()

test('the MARAC coordinator opens the queue, allocates it, opens a referral and the quarterly return', async () => {
  const page = await suite.page()
  try {
    await signIn(page, 'marac@council.harbour.invalid')
    await clickAndWait(page, page.getByRole('link', { name: 'MARAC queue' }).first())
    assert.equal((await page.locator('h1').innerText()).trim(), 'MARAC queue: Harbourshire City MARAC')
    assert.match(await page.locator('#waiting').innerText(), /Waiting for a meeting \(\d+\)/)
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('button', { name: 'Allocate the queue to meetings' }))
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /allocated to meetings/)
    await checkAccessibility(page)

    await clickAndWait(page, page.locator('.govuk-summary-card__title a').first())
    assert.match(await page.locator('h1').innerText(), /^MARAC referral: /)
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('link', { name: 'MARAC return' }).first())
    assert.equal((await page.locator('h1').innerText()).trim(), 'MARAC quarterly return')
    await checkAccessibility(page)
    await page.getByLabel('Quarter').fill('2026Q9')
    await clickAndWait(page, page.getByRole('button', { name: 'Show the return' }))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /quarters Q1 to Q4/)
    await checkAccessibility(page)
    assertNoPageProblems(page)
  } finally {
    await page.context().close()
  }
})

test('a police officer’s referral form shows its problems beside the fields', async () => {
  const page = await suite.page()
  try {
    await signIn(page, 'officer@police.harbour.invalid')
    await clickAndWait(page, page.getByRole('link', { name: 'Refer to MARAC' }).first())
    assert.equal((await page.locator('h1').innerText()).trim(), 'Refer to MARAC')
    await checkAccessibility(page)
    await clickAndWait(page, page.getByRole('button', { name: 'Send the referral' }))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select the MARAC area/)
    await checkAccessibility(page)
    assertNoPageProblems(page)
  } finally {
    await page.context().close()
  }
})

test('the coordinator opens a meeting, records an action and issues the minutes; the IDVA sees the agenda; an observer sees the confidentiality statement first', async () => {
  const db = suite.harbour.services.db
  const meeting = await db.selectFrom('marac_meeting as m').innerJoin('marac_allocation as x', 'x.meeting_id', 'm.id').select(['m.id', 'm.meets_on'])
    .where('m.area_code', '=', 'HBC').where('m.minutes_issued_at', 'is', null).orderBy('m.meets_on').limit(1).executeTakeFirstOrThrow()
  const page = await suite.page()
  try {
    await signIn(page, 'marac@council.harbour.invalid')
    await clickAndWait(page, page.getByRole('link', { name: 'MARAC meetings' }).first())
    assert.match(await page.locator('h1').innerText(), /^MARAC meetings/)
    await checkAccessibility(page)
    await visit(page, `/marac/coordinator/meetings/${meeting.id}`)
    assert.match(await page.locator('h1').innerText(), /meeting on/)
    await checkAccessibility(page)
    await clickAndWait(page, page.getByRole('button', { name: 'Add the action' }))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select the case/)
    await checkAccessibility(page)
    await clickAndWait(page, page.getByRole('button', { name: 'Issue the minutes' }))
    assert.match(await page.locator('h1').innerText(), /^Minutes: /)
    await checkAccessibility(page)
    assertNoPageProblems(page)
  } finally {
    await page.context().close()
  }

  const idva = await suite.page()
  try {
    await signIn(idva, 'idva@das.harbour.invalid')
    await clickAndWait(idva, idva.getByRole('link', { name: 'MARAC meetings' }).first())
    await checkAccessibility(idva)
    await visit(idva, `/marac/meetings/${meeting.id}`)
    assert.match(await idva.locator('h1').innerText(), /meeting on/)
    assert.ok(await idva.getByRole('button', { name: /^Save the research/ }).count() >= 1)
    await checkAccessibility(idva)
    assertNoPageProblems(idva)
  } finally {
    await idva.context().close()
  }

  const observer = await suite.harbour.person(['marac_observer'])
  await db.insertInto('marac_meeting_attendee').values({ meeting_id: meeting.id, kind: 'observer', organisation_id: observer.organisationId, user_id: observer.userId, added_by_label: 'test' }).execute()
  const watcher = await suite.page()
  try {
    await watcher.context().addCookies(Object.entries(observer.cookies).map(([name, value]) => ({ name, value, url: suite.harbour.url })))
    await visit(watcher, `/marac/meetings/${meeting.id}`)
    assert.equal((await watcher.locator('h1').innerText()).trim(), 'Confidentiality statement')
    await checkAccessibility(watcher)
    await clickAndWait(watcher, watcher.getByRole('button', { name: 'Confirm and continue' }))
    assert.match(await watcher.locator('.govuk-error-summary').innerText(), /Confirm that you will keep the meeting confidential/)
    await checkAccessibility(watcher)
    await watcher.getByLabel('I have read the statement').check()
    await clickAndWait(watcher, watcher.getByRole('button', { name: 'Confirm and continue' }))
    assert.match(await watcher.locator('h1').innerText(), /meeting on/)
    await checkAccessibility(watcher)
    assertNoPageProblems(watcher)
  } finally {
    await watcher.context().close()
  }
})
