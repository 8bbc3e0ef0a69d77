// Police staff's incident pages in a real browser, with an axe check on each state: the form with its
// errors, the confirmation with each child's school and deadline, the list, the CSV upload refused row by
// row and then accepted.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { browserSuite, checkAccessibility, clickAndWait, closePage, signIn, visit } from '../support/browser.ts'
import { londonWallClock } from '../../src/platform/time/london-time.ts'
import { INCIDENT_CSV_COLUMNS } from '../../src/encompass/incident-csv.ts'
import { lonePupil } from '../../src/encompass/demo.ts'

const OFFICER = 'officer@police.harbour.invalid'

const suite = browserSuite()

test('police staff record an incident with the form, see where each child went, and upload a CSV batch', async () => {
  const db = suite.harbour.services.db
  // a demo pupil at Meadowbank with no one else at home sharing their birthday, so the match is sure
  const pupil = (await lonePupil(db, '990001'))!
  const [dobYear, dobMonth, dobDay] = (pupil.date_of_birth ?? '').split('-') as [string, string, string]
  const when = londonWallClock(new Date(Date.now() - 2 * 3600_000))
  const [year, month, day] = when.date.split('-') as [string, string, string]
  const time = `${String(Math.floor(when.minutes / 60)).padStart(2, '0')}:${String(when.minutes % 60).padStart(2, '0')}`

  const page = await suite.page()
  try {
    await signIn(page, OFFICER)

    await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Incidents' }))
    assert.equal(new URL(page.url()).pathname, '/incidents')
    assert.equal((await page.locator('h1').innerText()).trim(), 'Incidents')
    await checkAccessibility(page)

    // the form, sent with problems: the summary and each field say what to put right
    await clickAndWait(page, page.getByRole('button', { name: 'Record an incident' }))
    assert.equal(new URL(page.url()).pathname, '/incidents/new')
    await checkAccessibility(page)
    await page.locator('#child1-firstName').fill(pupil.first_name)
    await page.locator('#child1-dob-month').fill('13')
    const refused = await clickAndWait(page, page.getByRole('button', { name: 'Send the incident' }))
    assert.equal(refused.status(), 400)
    assert.match(await page.title(), /^Error: Record an incident/)
    const problems = await page.locator('.govuk-error-summary__list a').allInnerTexts()
    for (const expected of ['Enter the police reference', 'Enter the date of the incident', 'Enter the time of the incident, like 21:15', 'Select the risk grade, or select not assessed', "Enter child 1's last name", "Child 1's date of birth must include a day and a year", 'Select whether child 1 was present']) {
      assert.ok(problems.includes(expected), `the summary lists "${expected}" (it has: ${problems.join(' | ')})`)
    }
    assert.match(await page.locator('#child1-present-error').innerText(), /Select whether child 1 was present/)
    assert.equal(await page.locator('#child1-firstName').inputValue(), pupil.first_name, 'what was typed is kept')
    await checkAccessibility(page)
    await page.locator('.govuk-error-summary__list a', { hasText: 'Enter the police reference' }).click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'policeReference', 'the summary link takes you to the field')

    // put right, and sent: the confirmation says where each child went
    await page.locator('#policeReference').fill('HPF/BROWSER/1')
    await page.locator('#occurredAt-day').fill(String(Number(day)))
    await page.locator('#occurredAt-month').fill(String(Number(month)))
    await page.locator('#occurredAt-year').fill(year)
    await page.locator('#occurredTime').fill(time)
    await page.locator('#location').fill('Home address (synthetic)')
    await page.locator('#circumstances').fill('A neighbour heard shouting and called police; adult B was arrested (synthetic)')
    await page.getByRole('radio', { name: 'High' }).check()
    await page.locator('#adultA-firstName').fill('Jo')
    await page.locator('#adultA-lastName').fill('Synthetic')
    await page.locator('#child1-lastName').fill(pupil.last_name)
    await page.locator('#child1-dob-day').fill(dobDay)
    await page.locator('#child1-dob-month').fill(dobMonth)
    await page.locator('#child1-dob-year').fill(dobYear)
    await page.locator('#child1-address').fill(pupil.address)
    await page.locator('#child1-postcode').fill(pupil.postcode)
    await page.locator('#child1-present').check()
    await page.locator('#child2-firstName').fill('Eilidh')
    await page.locator('#child2-lastName').fill('Featherstonehaugh')
    await page.locator('#child2-dob-day').fill('30')
    await page.locator('#child2-dob-month').fill('8')
    await page.locator('#child2-dob-year').fill('2014')
    await page.locator('#child2-present-2').check()
    const sent = await clickAndWait(page, page.getByRole('button', { name: 'Send the incident' }))
    assert.equal(sent.status(), 200)
    assert.match(new URL(page.url()).search, /^\?sent=created$/)
    assert.equal((await page.locator('.govuk-panel h1').innerText()).trim(), 'Incident received')
    const first = await page.locator('#child-1').innerText()
    assert.match(first, /Sent to school/i)
    assert.match(first, /Meadowbank Primary School \(URN 990001\)/)
    assert.match(first, /To be told by\s+(\d{1,2}:\d{2}(am|pm)|midday) on \w+day \d{1,2} \w+ \d{4}/)
    assert.match(await page.locator('#child-2').innerText(), /Sent to the council/i)
    await checkAccessibility(page)

    // the list now has it, and its page is the same record
    await clickAndWait(page, page.getByRole('link', { name: 'Back to incidents' }))
    assert.match(await page.locator('#incidents').innerText(), /HPF\/BROWSER\/1/)
    await checkAccessibility(page)
    await clickAndWait(page, page.getByRole('link', { name: 'HPF/BROWSER/1' }))
    assert.equal((await page.locator('h1').innerText()).trim(), 'HPF/BROWSER/1')
    await checkAccessibility(page)

    // a CSV upload with a bad row: nothing stored, the row named
    await visit(page, '/incidents/upload')
    assert.equal((await page.locator('h1').innerText()).trim(), 'Upload incidents')
    await checkAccessibility(page)
    const row = (reference: string, child: string, dob: string) =>
      `${reference},2026-11-20 21:15,Home address (synthetic),Shouting heard (synthetic),standard,Jo,Synthetic,,,,,${child},,Synthetic,${dob},,,,,,yes,,,`
    const csv = (rows: string[]) => Buffer.from(`${[INCIDENT_CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`)
    await page.getByLabel('CSV file of incidents').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: csv([row('HPF/BROWSER/2', 'Ada', '2016-04-09'), row('HPF/BROWSER/3', 'Bo', '2016-02-30')]) })
    const bad = await clickAndWait(page, page.getByRole('button', { name: 'Upload incidents' }))
    assert.equal(bad.status(), 400)
    assert.deepEqual(await page.locator('.govuk-error-summary__list a').allInnerTexts(), [
      'The file has 1 problem, so no incidents were stored',
      'Row 3: childDateOfBirth must be a date, YYYY-MM-DD'
    ])
    const stored = await db.selectFrom('incident').select('id').where('police_reference', '=', 'HPF/BROWSER/2').execute()
    assert.equal(stored.length, 0, 'nothing was stored')
    await checkAccessibility(page)

    await page.getByLabel('CSV file of incidents').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: csv([row('HPF/BROWSER/2', 'Ada', '2016-04-09'), row('HPF/BROWSER/3', 'Bo', '2016-02-28'), row('HPF/BROWSER/3', 'Cy', '2017-05-01')]) })
    const good = await clickAndWait(page, page.getByRole('button', { name: 'Upload incidents' }))
    assert.equal(good.status(), 200)
    assert.equal((await page.locator('.govuk-panel h1').innerText()).trim(), 'Incidents received')
    assert.match(await page.locator('.govuk-panel').innerText(), /2 incidents, 3 children/)
    assert.match(await page.locator('#outcomes').innerText(), /HPF\/BROWSER\/3\s+Rows 3, 4\s+New/)
    await checkAccessibility(page)
  } finally {
    await closePage(page)
  }
})
