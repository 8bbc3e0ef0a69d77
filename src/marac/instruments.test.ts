import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DEFAULT_THRESHOLDS, INSTRUMENTS, InstrumentConfigError, PARTNER_CHECKLIST, POLICE_CHECKLIST, POLICE_GRADED_TOOL,
  YOUNG_PEOPLE_CHECKLIST, configureInstrument, gradeForYesCount, instrumentById, instrumentProblems, suitsAge
} from './instruments.ts'
import type { ChecklistInstrument } from './instruments.ts'

test('the shipped instruments: 24 partner items, 27 police questions, a young people\'s version, a graded tool', () => {
  assert.equal(PARTNER_CHECKLIST.items.length, 24)
  assert.equal(POLICE_CHECKLIST.items.length, 27)
  assert.deepEqual(YOUNG_PEOPLE_CHECKLIST.ages, { min: 13, max: 17 })
  assert.equal(POLICE_GRADED_TOOL.scoring, 'assessor-grade')
  assert.equal(instrumentById('police-checklist'), POLICE_CHECKLIST)
  assert.equal(instrumentById('dash-2009'), undefined)
  for (const instrument of INSTRUMENTS) assert.deepEqual(instrumentProblems(instrument), [], instrument.id)
})

test('items about children are marked: pregnancy or a baby, children in the household, children hurt or threatened, contact', () => {
  const childIds = (items: typeof PARTNER_CHECKLIST.items) => items.filter((entry) => entry.aboutChildren).map((entry) => entry.id)
  assert.deepEqual(childIds(PARTNER_CHECKLIST.items), ['child-contact', 'pregnancy-or-baby', 'children-in-household', 'children-hurt-or-threatened'])
  assert.deepEqual(childIds(POLICE_CHECKLIST.items), ['child-contact', 'pregnancy-or-baby', 'children-in-household', 'children-hurt', 'children-threatened'])
  assert.deepEqual(childIds(YOUNG_PEOPLE_CHECKLIST.items), ['pregnancy-or-baby', 'children-in-household', 'children-hurt-or-threatened'])
  assert.ok(childIds(POLICE_GRADED_TOOL.items).length >= 4)
})

test('the same topic keeps its id and words across the adult instruments', () => {
  const strangulation = PARTNER_CHECKLIST.items.find((entry) => entry.id === 'strangulation')
  assert.deepEqual(POLICE_CHECKLIST.items.find((entry) => entry.id === 'strangulation'), strangulation)
  assert.deepEqual(POLICE_GRADED_TOOL.items.find((entry) => entry.id === 'strangulation'), strangulation)
})

test('the wording names the perpetrator as responsible and never blames the non-abusing parent', () => {
  const blaming = /witness|fail(ed|s|ure)? to protect|\ballow|\blet (the|them)|provok|\bher fault|\bhis fault|co-?operat/i
  for (const instrument of INSTRUMENTS) {
    for (const entry of instrument.items) {
      assert.doesNotMatch(`${entry.text} ${entry.hint ?? ''}`, blaming, `${instrument.id}/${entry.id}`)
      assert.ok(entry.text.length <= 120, `${instrument.id}/${entry.id} is short`)
    }
  }
})

test('default grading by count of Yes: 0 and 1-9 standard, 10-13 medium, 14+ high', () => {
  const grade = (yes: number) => gradeForYesCount(DEFAULT_THRESHOLDS, yes)
  assert.deepEqual([0, 1, 9, 10, 13, 14, 24].map(grade), ['standard', 'standard', 'standard', 'medium', 'medium', 'high', 'high'])
})

test('a partnership\'s thresholds override the defaults, and are checked', () => {
  const local = configureInstrument(PARTNER_CHECKLIST, { high: 12 }) as ChecklistInstrument
  assert.deepEqual(local.thresholds, { medium: 10, high: 12 })
  assert.deepEqual(PARTNER_CHECKLIST.thresholds, DEFAULT_THRESHOLDS, 'the shipped instrument is not changed')
  assert.deepEqual(configureInstrument(PARTNER_CHECKLIST), PARTNER_CHECKLIST, 'no overrides: the defaults')
  assert.deepEqual((configureInstrument(PARTNER_CHECKLIST, { medium: undefined }) as ChecklistInstrument).thresholds, DEFAULT_THRESHOLDS, 'an undefined override is no override')
})

test('thresholds that do not increase, start at 0, are fractions or cannot be reached are refused with clear errors', () => {
  const problems = (overrides: Parameters<typeof configureInstrument>[1]) => {
    try {
      configureInstrument(PARTNER_CHECKLIST, overrides)
    } catch (error) {
      assert.ok(error instanceof InstrumentConfigError)
      return error.problems
    }
    assert.fail('expected an InstrumentConfigError')
  }
  assert.deepEqual(problems({ medium: 14, high: 14 }), ['thresholds.high: must be more than thresholds.medium (14): thresholds must increase, and 14 does not'])
  assert.deepEqual(problems({ medium: 15 }), ['thresholds.high: must be more than thresholds.medium (15): thresholds must increase, and 14 does not'])
  assert.deepEqual(problems({ medium: 0 }), ['thresholds.medium: must be 1 or more (0 Yes answers is always standard), not 0'])
  assert.deepEqual(problems({ medium: 9.5 }), ['thresholds.medium: must be a whole number of Yes answers, not 9.5'])
  assert.deepEqual(problems({ high: 25 }), ['thresholds.high: 25 can never be reached with 24 items'])
  assert.throws(() => configureInstrument(PARTNER_CHECKLIST, { high: Number.NaN }), /Instrument partner-checklist: thresholds.high: must be a whole number/)
})

test('a graded tool takes no thresholds', () => {
  assert.equal(configureInstrument(POLICE_GRADED_TOOL), POLICE_GRADED_TOOL)
  assert.throws(() => configureInstrument(POLICE_GRADED_TOOL, { high: 14 }), /thresholds.high: this tool has no tick threshold/)
})

test('instrument data loaded from elsewhere is checked: duplicate and badly formed ids, empty text', () => {
  const broken: ChecklistInstrument = { ...PARTNER_CHECKLIST, items: [...PARTNER_CHECKLIST.items, { id: 'injury', text: ' ', aboutChildren: false }, { id: 'Bad Id', text: 'x', aboutChildren: false }] }
  assert.deepEqual(instrumentProblems(broken), ['items[24].id: "injury" is used twice', 'items[24].text: is empty', 'items[25].id: "Bad Id" must be lower-case words joined by hyphens'])
  assert.throws(() => configureInstrument(broken), InstrumentConfigError)
})

test('who an instrument suits: 13-17 for the young people\'s version, 16 and over for the adult ones', () => {
  assert.deepEqual([12, 13, 17, 18].map((age) => suitsAge(YOUNG_PEOPLE_CHECKLIST, age)), [false, true, true, false])
  assert.deepEqual([15, 16, 80].map((age) => suitsAge(PARTNER_CHECKLIST, age)), [false, true, true])
})
