// The review queue in a real browser, with an axe check on each state: the demo's synthetic list has
// children Harbour held back; the Encompass officer looks at one and decides.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertNoPageProblems, browserSuite, checkAccessibility, clickAndWait, signIn } from '../support/browser.ts'

const suite = browserSuite()

test('the Encompass officer reviews a held-back child and records a decision', async () => {
  const page = await suite.page()
  try {
    await signIn(page, 'encompass@council.harbour.invalid')

    await clickAndWait(page, page.getByRole('link', { name: 'Children to review' }).first())
    assert.equal((await page.locator('h1').innerText()).trim(), 'Children to review')
    const waiting = await suite.harbour.services.db.selectFrom('match_review').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow()
    assert.ok(Number(waiting.n) > 0, 'the demo has children waiting')
    await checkAccessibility(page)

    await clickAndWait(page, page.locator('table a.govuk-link').first())
    assert.match(await page.locator('h1').innerText(), /^Is this .+\?$/)
    assert.ok(await page.locator('.govuk-summary-card').count() >= 1, 'each candidate is shown')
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('button', { name: 'Record decision' }))
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Choose the pupil who is this child/)
    await checkAccessibility(page)

    await page.getByLabel('The child is not on any roll').check()
    await clickAndWait(page, page.getByRole('button', { name: 'Record decision' }))
    assert.equal(new URL(page.url()).pathname, '/review')
    const after = await suite.harbour.services.db.selectFrom('match_review').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow()
    assert.equal(Number(after.n), Number(waiting.n) - 1)
    assertNoPageProblems(page)
  } finally {
    await page.context().close()
  }
})
