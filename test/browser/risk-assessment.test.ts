// The risk assessment journey in a real browser, as the demo IDVA: start (sent empty first: the errors),
// each question page, save and return later, the children page, professional judgement refused when it
// would lower the grade, check answers, the confirmation with the grade and the children, and the
// completed assessment. An axe check on every page, error states included.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { browserSuite, checkAccessibility, clickAndWait, closePage, signIn } from '../support/browser.ts'
import { PARTNER_CHECKLIST } from '../../src/marac/instruments.ts'
import { questionPages } from '../../src/marac/assessment-form.ts'

const IDVA = 'idva@das.harbour.invalid'

const suite = browserSuite()

test('an IDVA completes a partner checklist in the browser and sees the grade and the children it concerns', async () => {
  const page = await suite.page()
  try {
    await signIn(page, IDVA)

    await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Risk assessments' }))
    assert.equal(new URL(page.url()).pathname, '/risk-assessments')
    await checkAccessibility(page)

    // the start page, sent empty: each field says what to put right
    await clickAndWait(page, page.getByRole('button', { name: 'Start a risk assessment' }))
    await checkAccessibility(page)
    const refused = await clickAndWait(page, page.getByRole('button', { name: 'Start the assessment' }))
    assert.equal(refused.status(), 400)
    assert.match(await page.title(), /^Error: Start a risk assessment/)
    const problems = await page.locator('.govuk-error-summary__list a').allInnerTexts()
    for (const expected of ['Enter the full name of the person experiencing abuse', 'Enter their date of birth', 'Select the checklist or tool you are using']) {
      assert.ok(problems.includes(expected), `the summary lists "${expected}" (it has: ${problems.join(' | ')})`)
    }
    await checkAccessibility(page)

    await page.getByLabel('Full name').fill('Alex Synthetic')
    await page.locator('#victimDob-day').fill('12')
    await page.locator('#victimDob-month').fill('4')
    await page.locator('#victimDob-year').fill('1991')
    await page.getByRole('radio', { name: PARTNER_CHECKLIST.name }).check()
    await clickAndWait(page, page.getByRole('button', { name: 'Start the assessment' }))
    assert.match(new URL(page.url()).pathname, /\/risk-assessments\/[0-9a-f-]{36}\/questions\/1$/)
    const base = new URL(page.url()).pathname.replace(/\/questions\/1$/, '')

    // page 1 sent with nothing answered: the error state
    const unanswered = await clickAndWait(page, page.getByRole('button', { name: 'Save and continue' }))
    assert.equal(unanswered.status(), 400)
    await checkAccessibility(page)

    // 14 Yes (high), one of them about children; the rest No
    const yes = new Set(PARTNER_CHECKLIST.items.filter((item) => !item.aboutChildren).slice(0, 13).map((item) => item.id))
    yes.add('children-in-household')
    const pages = questionPages(PARTNER_CHECKLIST)
    for (let n = 1; n <= pages.length; n++) {
      assert.equal(new URL(page.url()).pathname, `${base}/questions/${n}`)
      if (n > 1) await checkAccessibility(page)
      for (const item of pages[n - 1]!) {
        await page.locator(`input[name="answer-${item.id}"][value="${yes.has(item.id) ? 'yes' : 'no'}"]`).check()
      }
      if (n === 2) {
        // save and return later: the draft is listed, and picking it up goes on from page 3
        await clickAndWait(page, page.getByRole('button', { name: 'Save and return later' }))
        assert.equal(new URL(page.url()).pathname, '/risk-assessments')
        await checkAccessibility(page)
        await clickAndWait(page, page.getByRole('link', { name: /Alex Synthetic/ }))
        continue
      }
      await clickAndWait(page, page.getByRole('button', { name: 'Save and continue' }))
    }

    // the children page, because "children live in the household" is Yes
    assert.equal(new URL(page.url()).pathname, `${base}/children`)
    await checkAccessibility(page)
    await page.locator('#child1-name').fill('Sky Synthetic')
    await page.locator('#child1-dob-day').fill('14')
    await page.locator('#child1-dob-month').fill('13')
    await page.locator('#child1-dob-year').fill('2019')
    const badDate = await clickAndWait(page, page.getByRole('button', { name: 'Save and continue' }))
    assert.equal(badDate.status(), 400)
    await checkAccessibility(page)
    await page.locator('#child1-dob-month').fill('6')
    await clickAndWait(page, page.getByRole('button', { name: 'Save and continue' }))

    // professional judgement: lowering is refused with the reason
    assert.equal(new URL(page.url()).pathname, `${base}/judgement`)
    await checkAccessibility(page)
    await page.getByRole('radio', { name: 'Medium' }).check()
    await page.getByLabel('Your reasons').fill('The person says the perpetrator has calmed down.')
    const lowered = await clickAndWait(page, page.getByRole('button', { name: 'Save and continue' }))
    assert.equal(lowered.status(), 400)
    assert.match(await page.locator('.govuk-error-summary').innerText(), /never lower it/)
    await checkAccessibility(page)
    await page.getByRole('radio', { name: /No, the grade stays high/ }).check()
    await page.getByLabel('Your reasons').fill('')
    await clickAndWait(page, page.getByRole('button', { name: 'Save and continue' }))

    // check answers, with change links, then complete
    assert.equal(new URL(page.url()).pathname, `${base}/check`)
    await checkAccessibility(page)
    assert.ok(await page.getByRole('link', { name: /Change\s+answer to question 1$/ }).count() >= 1)
    await clickAndWait(page, page.getByRole('button', { name: 'Complete the assessment' }))
    assert.equal(new URL(page.url()).pathname, `${base}/confirmation`)
    assert.match(await page.locator('.govuk-panel').innerText(), /High/)
    assert.match(await page.locator('main').innerText(), /Sky Synthetic, born 14 June 2019/)
    await checkAccessibility(page)

    await clickAndWait(page, page.getByRole('link', { name: 'View the completed assessment' }))
    assert.equal(new URL(page.url()).pathname, base)
    await checkAccessibility(page)
  } finally {
    await closePage(page)
  }
})
