// The council's Operation Encompass view in a real browser, with an axe check: the Encompass officer
// signs in, opens it from the navigation, sees a review decision at risk in the alert, follows the
// link to the child in the review queue, and comes back.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { browserSuite, checkAccessibility, clickAndWait, signIn } from '../support/browser.ts'
import { lonePupil } from '../../src/encompass/demo.ts'

const suite = browserSuite()

/** An incident with a child at school, a child on no roll and a possible twin, posted as the police would; the twin's deadline is half an hour away. */
async function postIncident(): Promise<string> {
  const db = suite.harbour.services.db
  const police = await db.selectFrom('organisation').select('id').where('reference', '=', 'HPF').executeTakeFirstOrThrow()
  const key = (await suite.harbour.services.apiKeys.create(police.id, 'records system', { label: 'test' })).key
  const pupil = (await lonePupil(db, '990001'))!
  const response = await suite.harbour.app.inject({
    method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${key}` },
    payload: {
      policeReference: 'HPF/BROWSER/1', occurredAt: new Date(Date.now() - 3600_000).toISOString(), location: 'Home address (synthetic)',
      circumstances: 'Police attended (synthetic)', riskGrade: 'medium', adults: [{ label: 'A', firstName: 'Sam', lastName: 'Synthetic' }],
      children: [
        { firstName: pupil.first_name, lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true },
        { firstName: 'Eilidh', lastName: 'Featherstonehaugh', dateOfBirth: '2014-08-30', address: '9 Kestrel Way', postcode: 'B90 4QR', present: false },
        { firstName: 'Zebedee', lastName: pupil.last_name, dateOfBirth: pupil.date_of_birth, address: pupil.address, postcode: pupil.postcode, present: true }
      ]
    }
  })
  assert.equal(response.statusCode, 201, response.body)
  const twin = await db.selectFrom('incident_child as c').innerJoin('incident as i', 'i.id', 'c.incident_id').select(['c.id', 'c.match_review_id'])
    .where('i.police_reference', '=', 'HPF/BROWSER/1').where('c.route', '=', 'review').executeTakeFirstOrThrow()
  await db.updateTable('incident_child').set({ deadline: new Date(Date.now() + 30 * 60_000) }).where('id', '=', twin.id).execute()
  return twin.match_review_id!
}

test('the Encompass officer opens the council\'s view, sees a decision at risk, and follows it to the review queue', async () => {
  const reviewId = await postIncident()
  const page = await suite.page()
  try {
    await signIn(page, 'encompass@council.harbour.invalid')

    const response = await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Operation Encompass', exact: true }))
    assert.equal(response.status(), 200)
    assert.equal(new URL(page.url()).pathname, '/encompass')
    assert.equal((await page.locator('h1').innerText()).trim(), 'Operation Encompass')
    assert.equal(await page.locator('.govuk-service-navigation__item--active').innerText().then((t) => t.trim()), 'Operation Encompass')
    const alert = page.getByRole('alert')
    assert.match(await alert.innerText(), /at risk of missing the deadline/)
    assert.match(await page.locator('#today').locator('xpath=following-sibling::table[1]').innerText(), /HPF\/BROWSER\/1/)
    assert.equal(await page.getByText('Featherstonehaugh').count(), 0, 'no child\'s name on the page')
    await checkAccessibility(page)

    await clickAndWait(page, alert.getByRole('link', { name: 'Child 3 in HPF/BROWSER/1' }))
    assert.equal(new URL(page.url()).pathname, `/review/${reviewId}`)
    await page.goBack()
    await page.waitForLoadState('load')

    await clickAndWait(page, page.getByRole('link', { name: 'Children to review' }).first())
    assert.match(await page.locator('table').innerText(), /At risk/)
    await checkAccessibility(page)
  } finally {
    await page.context().close()
  }
})
