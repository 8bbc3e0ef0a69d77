// A real browser for page tests: Debian's Chromium driven by playwright-core, with an axe-core
// accessibility check and a watch on each page for console errors and failed requests to Harbour.
import { existsSync } from 'node:fs'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import axe from 'axe-core'
import type { AxeResults, RunOptions } from 'axe-core'
import { chromium } from 'playwright-core'
import type { Browser, Locator, Page, Response } from 'playwright-core'
import { testHarbour } from './harbour.ts'
import type { TestHarbour } from './harbour.ts'
import { DEMO_PASSWORD } from '../../src/organisations/demo.ts'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH} and it is not there. Install it with "apt-get install -y chromium", or set CHROMIUM_PATH to a Chromium binary.`)
  }
  return await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
}

const problemsOf = new WeakMap<Page, string[]>()

/**
 * A page in its own browser context (its own cookies), watched for trouble: a console error (a CSP
 * violation, a script error), an uncaught exception, or a request to Harbour that failed or was
 * answered with an error. Pages themselves may answer 4xx (a 404 page, a form with errors): tests
 * check those statuses; here only what a page loads (styles, scripts, images, fonts) counts.
 */
export async function openPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl })
  const page = await context.newPage()
  const origin = new URL(baseUrl).origin
  const problems: string[] = []
  problemsOf.set(page, problems)
  const isDocument = (response: Response) => response.request().isNavigationRequest()
  const documentUrls = new Set<string>()
  page.on('response', (response) => {
    if (isDocument(response)) {
      documentUrls.add(response.url())
      return
    }
    if (response.url().startsWith(origin) && response.status() >= 400) {
      problems.push(`${response.request().resourceType()} ${response.url()} answered ${response.status()}`)
    }
  })
  page.on('requestfailed', (request) => {
    if (!request.url().startsWith(origin)) return
    // Cancelled because the page moved on (say the favicon, still loading when the test clicked a link)
    // is not a failure. A request the CSP blocks fails differently and logs a console error too.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`request ${request.method()} ${request.url()} failed: ${request.failure()?.errorText ?? 'unknown error'}`)
  })
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    // Chromium logs "Failed to load resource" for a page that answers 4xx too; those statuses are
    // what the tests expect and check. A subresource's failure is caught by the response watch above.
    if (/^Failed to load resource/.test(message.text()) && documentUrls.has(message.location().url)) return
    problems.push(`console error at ${message.location().url || page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`uncaught error on ${page.url()}: ${error.message}`))
  return page
}

/** Fails if the page has had a console error, an uncaught error or a failed request to Harbour. */
export function assertNoPageProblems(page: Page): void {
  const problems = problemsOf.get(page) ?? []
  assert.equal(problems.length, 0, `The browser reported problems:\n  ${problems.join('\n  ')}`)
}

/** Closes the page's context, failing first if the page had problems. */
export async function closePage(page: Page): Promise<void> {
  try {
    assertNoPageProblems(page)
  } finally {
    await page.context().close()
  }
}

function describeViolations(results: AxeResults): string {
  return results.violations.map((violation) => {
    const nodes = violation.nodes.map((node) => `    ${node.target.map(String).join(' ')}${node.failureSummary ? `\n      ${node.failureSummary.replace(/\n/g, '\n      ')}` : ''}`)
    return `  ${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`
  }).join('\n')
}

/**
 * Runs axe-core against the page as it is now (WCAG 2.0, 2.1 and 2.2, A and AA) and fails on any
 * violation, naming each rule, its help text and the elements. Also fails on the page's problems.
 * axe is put in the page with evaluate (the DevTools protocol), which the pages' CSP does not block.
 */
export async function checkAccessibility(page: Page): Promise<void> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!present) await page.evaluate(axe.source)
  const options: RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] }
  const results = await page.evaluate(async (runOptions) => {
    const injected = (window as unknown as { axe: typeof axe }).axe
    return await injected.run(document, runOptions)
  }, options)
  assert.equal(results.violations.length, 0, `Accessibility violations on ${page.url()} ("${await page.title()}"):\n${describeViolations(results)}`)
  assertNoPageProblems(page)
}

const REDIRECT = new Set([301, 302, 303, 307, 308])

/**
 * Does something that navigates (clicks a link or a submit button) and returns the response of the
 * page it ends on, after any redirects, once that page has loaded.
 */
export async function navigateBy(page: Page, action: () => Promise<unknown>): Promise<Response> {
  const landed = page.waitForResponse((response) => response.request().isNavigationRequest() && response.frame() === page.mainFrame() && !REDIRECT.has(response.status()))
  await action()
  const response = await landed
  await page.waitForLoadState('load')
  return response
}

/** Clicks a button or link and returns the response of the page it ends on. */
export async function clickAndWait(page: Page, target: Locator): Promise<Response> {
  return await navigateBy(page, () => target.click())
}

/** Goes to a path and returns the response, failing if there was none. */
export async function visit(page: Page, path: string): Promise<Response> {
  const response = await page.goto(path)
  assert.ok(response, `No response for ${path}`)
  return response
}

/** Signs in through the sign-in page (demo accounts skip the second factor outside production). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<Response> {
  await visit(page, '/sign-in')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  return await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }))
}

/**
 * One Harbour (listening, with the demo data) and one browser for a test file, started before its tests
 * and stopped after them. `suite.page()` opens a fresh page with its own cookies.
 */
export function browserSuite(options: { demo?: boolean } = { demo: true }) {
  const suite = {
    harbour: undefined as unknown as TestHarbour,
    browser: undefined as unknown as Browser,
    page: () => openPage(suite.browser, suite.harbour.url)
  }
  before(async () => {
    suite.harbour = await testHarbour({ listen: true, demo: options.demo ?? true })
    suite.browser = await launchBrowser()
  })
  after(async () => {
    await suite.browser?.close()
    await suite.harbour?.stop()
  })
  return suite
}
