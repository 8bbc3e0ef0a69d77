// The DSL's inbox in a real browser, with an axe check on each state: the demo's synthetic notification
// is opened, acknowledged, and what the school did is recorded, first with the errors, then in full.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { browserSuite, checkAccessibility, clickAndWait, closePage, signIn } from '../support/browser.ts'

const suite = browserSuite()

test('the DSL opens a notification, acknowledges it and records what the school did', async () => {
  const db = suite.harbour.services.db
  const notification = await db.selectFrom('encompass_notification as n').innerJoin('incident as i', 'i.id', 'n.incident_id')
    .select(['n.id', 'n.content']).where('i.police_reference', '=', 'HPF/DEMO/0001').where('n.setting_urn', '=', '990001').executeTakeFirstOrThrow()
  const childName = (notification.content as { childName: string }).childName
  const page = await suite.page()
  try {
    await signIn(page, 'dsl@meadowbank.harbour.invalid')

    await clickAndWait(page, page.getByRole('link', { name: 'Notifications' }).first())
    assert.equal((await page.locator('h1').innerText()).trim(), 'Operation Encompass notifications')
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('link', { name: childName }))
    assert.equal((await page.locator('h1').innerText()).trim(), childName)
    await checkAccessibility(page)
    const viewed = await db.selectFrom('audit_event').select('actor_label').where('record_id', '=', notification.id).where('action', '=', 'encompass-notification-view').execute()
    assert.deepEqual(viewed.map((v) => v.actor_label), ['dsl@meadowbank.harbour.invalid'])

    await clickAndWait(page, page.getByRole('button', { name: 'Acknowledge this notification' }))
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /acknowledged/)
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('button', { name: 'Save what the school did' }))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Give the reason for the decision/)
    await checkAccessibility(page)

    await page.getByLabel(/Silent support/).check()
    await page.locator('#welfareCheck').check()
    await page.getByLabel('The school decided not to contact a parent or carer').check()
    await page.getByLabel('The reason for that decision').fill('Contact could alert the perpetrator (synthetic)')
    await page.locator('#mashReferral-2').check()
    await clickAndWait(page, page.getByRole('button', { name: 'Save what the school did' }))
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /What the school did is recorded/)
    await checkAccessibility(page)
    const response = await db.selectFrom('encompass_response').select(['support', 'welfare_check', 'mash_referral']).where('notification_id', '=', notification.id).executeTakeFirstOrThrow()
    assert.deepEqual(response, { support: 'silent', welfare_check: true, mash_referral: false })
  } finally {
    await closePage(page)
  }
})
