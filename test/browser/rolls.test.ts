// Pupil rolls in a real browser, with an axe check on each state: the Encompass officer uploads a good
// roll (a confirmation with the counts) and a bad one (every problem listed by line, nothing imported).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertNoPageProblems, browserSuite, checkAccessibility, clickAndWait, signIn } from '../support/browser.ts'
import { ROLL_COLUMNS } from '../../src/rolls/link-files.ts'

const ENCOMPASS = 'encompass@council.harbour.invalid'
const HEADER = ROLL_COLUMNS.join(',')

const suite = browserSuite()

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`)

async function pupilCount(urn: string): Promise<number> {
  const row = await suite.harbour.services.db.selectFrom('pupil').select((eb) => eb.fn.countAll<number>().as('n')).where('urn', '=', urn).executeTakeFirstOrThrow()
  return Number(row.n)
}

test('the Encompass officer uploads a pupil roll, and a file with problems is refused row by row', async () => {
  const page = await suite.page()
  try {
    await signIn(page, ENCOMPASS)

    await clickAndWait(page, page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Pupil rolls' }))
    assert.equal(new URL(page.url()).pathname, '/rolls')
    assert.equal((await page.locator('h1').innerText()).trim(), 'Pupil rolls')
    assert.match(await page.locator('#imports').innerText(), /demo-rolls\.csv/, 'the demo partnership\'s import is listed')
    await checkAccessibility(page)

    // a good roll for a (synthetic) setting of its own, so the demo schools' rolls are left alone
    await page.getByLabel('Roll file').setInputFiles({
      name: 'larkspur-roll.csv', mimeType: 'text/csv',
      buffer: csv([HEADER, 'L1,K998601000010,998601,Ada,,Webb,2016-01-02,F,1 Larkspur Row,B97 1AA', 'L2,,998601,Bo,,Webb,2017-03-04,M,1 Larkspur Row,B97 1AA', 'L3,,998601,Cyd,Ann,Rowe,2018-05-06,X,2 Larkspur Row,B97 1AB'])
    })
    const imported = await clickAndWait(page, page.getByRole('button', { name: 'Import roll' }))
    assert.equal(imported.status(), 200)
    assert.match(new URL(page.url()).search, /^\?imported=[0-9a-f-]{36}$/)
    const panel = page.locator('.govuk-panel')
    assert.equal((await panel.locator('h1').innerText()).trim(), 'Roll imported')
    assert.match(await panel.innerText(), /3 pupils at 1 setting/)
    assert.match(await page.locator('.govuk-summary-list').innerText(), /Joined the roll\s+3/)
    assert.equal(await pupilCount('998601'), 3)
    await checkAccessibility(page)

    // a roll with problems: every one listed, by line, and nothing imported
    await clickAndWait(page, page.getByRole('link', { name: 'Import another roll' }))
    await page.getByLabel('As at (YYYY-MM-DD)').fill('2026-02-30')
    await page.getByLabel('Roll file').setInputFiles({
      name: 'bad-roll.csv', mimeType: 'text/csv',
      buffer: csv([HEADER, 'M1,,998602,Ada,,Webb,2016-01-02,F,1 Row,B97 1AA', 'M2,,998602,,,Webb,2016-13-01,Q,1 Row,B97 1AA'])
    })
    const refusedDate = await clickAndWait(page, page.getByRole('button', { name: 'Import roll' }))
    assert.equal(refusedDate.status(), 400)
    assert.match(await page.locator('#asAt-error').innerText(), /Enter the as-at date as YYYY-MM-DD/)
    await checkAccessibility(page)

    await page.getByLabel('As at (YYYY-MM-DD)').fill('')
    await page.getByLabel('Roll file').setInputFiles({
      name: 'bad-roll.csv', mimeType: 'text/csv',
      buffer: csv([HEADER, 'M1,,998602,Ada,,Webb,2016-01-02,F,1 Row,B97 1AA', 'M2,,998602,,,Webb,2016-13-01,Q,1 Row,B97 1AA', 'M1,,998602,Al,,Webb,2016-01-02,M,1 Row,B97 1AA'])
    })
    const refused = await clickAndWait(page, page.getByRole('button', { name: 'Import roll' }))
    assert.equal(refused.status(), 400)
    assert.match(await page.title(), /^Error: Pupil rolls/)
    assert.deepEqual(await page.locator('.govuk-error-summary__list a').allInnerTexts(), [
      'The file has 4 problems, so nothing was imported',
      'Line 3: first_name — is empty, and every pupil needs one',
      'Line 3: date_of_birth — "2016-13-01" is not a real date',
      'Line 3: gender — "Q" is not a gender Harbour knows: use F, M, X or leave it empty',
      'Line 4: pupil_id — "M1" at URN 998602 is also on line 2: a pupil is on a setting\'s roll once'
    ])
    assert.match(await page.locator('#file-error').innerText(), /nothing was imported/)
    assert.equal(await pupilCount('998602'), 0, 'nothing was imported')
    await checkAccessibility(page)
    assertNoPageProblems(page)
  } finally {
    await page.context().close()
  }
})
