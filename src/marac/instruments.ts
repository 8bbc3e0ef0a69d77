// Risk instruments as data. Each item is the partnership's own short phrasing of a topic the published
// checklists cover (the published SafeLives / DASH / DARA wording is licensed and is not reproduced).
// The perpetrator is named as responsible; no item asks what the victim or the non-abusing parent did
// or failed to do.
//
// Two ways of grading:
// - 'count-of-yes' (checklists): the number of Yes answers sets the grade. Default thresholds: 1-9 Yes
//   standard, 10-13 medium, 14 or more high. 0 Yes is standard too: there is no "no risk" grade, since a
//   checklist is only completed where there is domestic abuse, and nothing below standard exists to give.
//   Don't know never counts as Yes.
// - 'assessor-grade' (a DARA-style tool): there is no published tick threshold; the assessor records
//   the grade they judge.
// Thresholds are configuration: configureInstrument() applies a partnership's overrides and checks them.
import type { RiskGrade } from '../encompass/incident.ts'

export type { RiskGrade }

/** lowest to highest */
export const RISK_GRADES: readonly RiskGrade[] = ['standard', 'medium', 'high']

export const isRiskGrade = (value: unknown): value is RiskGrade => RISK_GRADES.includes(value as RiskGrade)

/** 0 standard, 1 medium, 2 high */
export const gradeRank = (grade: RiskGrade): number => RISK_GRADES.indexOf(grade)

export type Answer = 'yes' | 'no' | 'dont-know'

export const ANSWERS: readonly Answer[] = ['yes', 'no', 'dont-know']

export interface InstrumentItem {
  /** stable: stored with every answer, never reused for a different topic */
  id: string
  text: string
  hint?: string
  /** about pregnancy or a baby under 18 months, children in the household, children hurt or threatened, or contact with children */
  aboutChildren: boolean
}

/** The count of Yes answers at which each grade starts; fewer than `medium` is standard. */
export interface Thresholds { medium: number, high: number }

export const DEFAULT_THRESHOLDS: Thresholds = { medium: 10, high: 14 }

interface InstrumentBase {
  id: string
  version: number
  name: string
  /** the victim's age the instrument is meant for, in whole years, inclusive */
  ages?: { min: number, max: number }
  items: readonly InstrumentItem[]
}

export interface ChecklistInstrument extends InstrumentBase { scoring: 'count-of-yes', thresholds: Thresholds }

export interface GradedInstrument extends InstrumentBase { scoring: 'assessor-grade' }

export type Instrument = ChecklistInstrument | GradedInstrument

const item = (id: string, text: string, options: { hint?: string, aboutChildren?: boolean } = {}): InstrumentItem =>
  ({ id, text, ...(options.hint ? { hint: options.hint } : {}), aboutChildren: options.aboutChildren ?? false })

// Topics shared by the adult instruments, so the same topic has the same id and words in each.
const TOPIC = {
  injury: item('injury', 'The current incident has left the victim injured', { hint: 'Include injuries that cannot be seen and any that have not been treated.' }),
  fear: item('fear', 'The victim is very frightened of the perpetrator'),
  fearsFurtherHarm: item('fears-further-harm', 'The victim fears further violence, being killed, or harm to someone else', { hint: 'Record what the victim is afraid of in their own words.' }),
  isolation: item('isolation', 'The perpetrator cuts the victim off from family, friends or services'),
  lowMood: item('low-mood', 'The victim feels very low, or has thought about suicide or self-harm'),
  separation: item('separation', 'The victim has separated, or tried to separate, from the perpetrator in the last year'),
  childContact: item('child-contact', 'There is conflict with the perpetrator over contact with children', { hint: 'Include the perpetrator using contact arrangements to reach or control the victim.', aboutChildren: true }),
  stalking: item('stalking', 'The perpetrator follows, watches, keeps contacting or harasses the victim, in person or online'),
  pregnancyOrBaby: item('pregnancy-or-baby', 'The victim is pregnant or has a baby under 18 months', { aboutChildren: true }),
  childrenInHousehold: item('children-in-household', 'Children live in the household, including any who are not the perpetrator\'s', { aboutChildren: true }),
  childrenHurtOrThreatened: item('children-hurt-or-threatened', 'The perpetrator has hurt a child or threatened to', { aboutChildren: true }),
  childrenHurt: item('children-hurt', 'The perpetrator has hurt a child', { aboutChildren: true }),
  childrenThreatened: item('children-threatened', 'The perpetrator has threatened to hurt a child', { aboutChildren: true }),
  escalation: item('escalation', 'The abuse is happening more often or getting worse'),
  moreOften: item('more-often', 'The abuse is happening more often'),
  gettingWorse: item('getting-worse', 'The abuse is getting worse'),
  control: item('control', 'The perpetrator controls what the victim does, or is extremely jealous'),
  weapon: item('weapon', 'The perpetrator has used, or threatened to use, a weapon or object to hurt the victim'),
  threatsToKill: item('threats-to-kill', 'The perpetrator has threatened to kill the victim or someone else, and the victim believes it'),
  strangulation: item('strangulation', 'The perpetrator has strangled, choked, suffocated or tried to drown the victim'),
  sexualAbuse: item('sexual-abuse', 'The perpetrator has done or said sexual things that hurt, frighten or degrade the victim'),
  otherThreat: item('other-threat', 'Someone else has threatened the victim, or the victim fears harm from others', { hint: 'Include abuse by family members or in the name of "honour", and forced marriage.' }),
  hurtOthers: item('hurt-others', 'The perpetrator has hurt other people, such as a previous partner, relatives or strangers'),
  animals: item('animals', 'The perpetrator has hurt, or threatened to hurt, a pet or other animal'),
  finances: item('finances', 'The perpetrator controls the money, or money worries tie the victim to the perpetrator'),
  perpetratorNeeds: item('perpetrator-substances-mental-health', 'The perpetrator has had problems with alcohol, drugs or mental health in the last year'),
  perpetratorSuicide: item('perpetrator-suicide', 'The perpetrator has threatened or attempted suicide'),
  breach: item('breach', 'The perpetrator has broken bail conditions, a court order or another formal agreement'),
  criminalHistory: item('criminal-history', 'The perpetrator has a record of offending, such as domestic abuse, violence or sexual offences')
} as const

const T = TOPIC

/** The partner agencies' 24-item checklist (SafeLives-style). */
export const PARTNER_CHECKLIST: ChecklistInstrument = {
  id: 'partner-checklist',
  version: 1,
  name: 'Partner risk checklist',
  scoring: 'count-of-yes',
  thresholds: DEFAULT_THRESHOLDS,
  items: [
    T.injury, T.fear, T.isolation, T.lowMood, T.separation, T.childContact, T.stalking, T.pregnancyOrBaby,
    T.childrenInHousehold, T.childrenHurtOrThreatened, T.escalation, T.control, T.weapon, T.threatsToKill,
    T.strangulation, T.sexualAbuse, T.otherThreat, T.hurtOthers, T.animals, T.finances, T.perpetratorNeeds,
    T.perpetratorSuicide, T.breach, T.criminalHistory
  ]
}

/** The police 27-question variant: escalation and harm to children asked as separate questions, and what the victim fears. */
export const POLICE_CHECKLIST: ChecklistInstrument = {
  id: 'police-checklist',
  version: 1,
  name: 'Police risk checklist',
  scoring: 'count-of-yes',
  thresholds: DEFAULT_THRESHOLDS,
  items: [
    T.injury, T.fear, T.fearsFurtherHarm, T.isolation, T.lowMood, T.separation, T.childContact, T.stalking,
    T.pregnancyOrBaby, T.childrenInHousehold, T.childrenHurt, T.childrenThreatened, T.moreOften, T.gettingWorse,
    T.control, T.weapon, T.threatsToKill, T.strangulation, T.sexualAbuse, T.otherThreat, T.hurtOthers, T.animals,
    T.finances, T.perpetratorNeeds, T.perpetratorSuicide, T.breach, T.criminalHistory
  ]
}

/**
 * For young people aged 13 to 17 experiencing abuse in their own relationships. The default thresholds
 * are the adult ones; the partnership should confirm them (they are configuration), and professional
 * judgement carries particular weight for young people.
 */
export const YOUNG_PEOPLE_CHECKLIST: ChecklistInstrument = {
  id: 'young-people-checklist',
  version: 1,
  name: 'Young people\'s risk checklist (13 to 17)',
  ages: { min: 13, max: 17 },
  scoring: 'count-of-yes',
  thresholds: DEFAULT_THRESHOLDS,
  items: [
    item('injury', 'The current incident has left the young person injured', { hint: 'Include injuries that cannot be seen and any that have not been treated.' }),
    item('fear', 'The young person is very frightened of the perpetrator'),
    item('isolation', 'The perpetrator cuts the young person off from friends, family, school or youth services'),
    item('low-mood', 'The young person feels very low, self-harms, or has thought about suicide'),
    item('separation', 'The young person has ended, or tried to end, the relationship in the last year'),
    item('stalking', 'The perpetrator follows, watches or keeps contacting the young person, in person or online'),
    item('online-control', 'The perpetrator checks or controls the young person\'s phone, accounts or location'),
    item('images', 'The perpetrator has shared, or threatened to share, sexual images of the young person'),
    item('pregnancy-or-baby', 'The young person is pregnant or has a baby under 18 months', { aboutChildren: true }),
    item('children-in-household', 'Other children live with the young person or with the perpetrator', { hint: 'Include the young person\'s own child and younger brothers and sisters.', aboutChildren: true }),
    item('children-hurt-or-threatened', 'The perpetrator has hurt a child or threatened to', { aboutChildren: true }),
    item('escalation', 'The abuse is happening more often or getting worse'),
    item('control', 'The perpetrator controls what the young person does, or is extremely jealous'),
    item('age-gap', 'The perpetrator is much older than the young person, or an adult'),
    item('exploitation', 'The perpetrator pressures the young person to do things for them or others, such as carrying drugs or money'),
    item('weapon', 'The perpetrator has used, or threatened to use, a weapon or object to hurt the young person'),
    item('threats-to-kill', 'The perpetrator has threatened to kill the young person or someone else, and the young person believes it'),
    item('strangulation', 'The perpetrator has strangled, choked or suffocated the young person'),
    item('sexual-abuse', 'The perpetrator has pressured or forced the young person into sexual activity'),
    item('other-threat', 'Someone else has threatened the young person, or they fear harm from others', { hint: 'Include family members, abuse in the name of "honour", forced marriage and groups the perpetrator belongs to.' }),
    item('perpetrator-substances-mental-health', 'The perpetrator has had problems with alcohol, drugs or mental health in the last year'),
    item('criminal-history', 'The perpetrator has been in trouble with the police for violence or sexual offences')
  ]
}

/** A DARA-style tool for frontline police: the questions inform the officer, who records the grade. */
export const POLICE_GRADED_TOOL: GradedInstrument = {
  id: 'police-graded',
  version: 1,
  name: 'Police graded risk assessment',
  scoring: 'assessor-grade',
  items: [
    T.injury, T.fear, T.fearsFurtherHarm, T.separation, T.childContact, T.stalking, T.pregnancyOrBaby,
    T.childrenInHousehold, T.childrenHurtOrThreatened, T.escalation, T.control, T.weapon, T.threatsToKill,
    T.strangulation, T.sexualAbuse, T.otherThreat, T.breach, T.criminalHistory
  ]
}

export const INSTRUMENTS: readonly Instrument[] = [PARTNER_CHECKLIST, POLICE_CHECKLIST, YOUNG_PEOPLE_CHECKLIST, POLICE_GRADED_TOOL]

/** The instrument with an id, or undefined. */
export const instrumentById = (id: string): Instrument | undefined => INSTRUMENTS.find((instrument) => instrument.id === id)

/** Whether an instrument is meant for someone of this age (instruments without an age range suit adults, 16 and over). */
export function suitsAge(instrument: Instrument, age: number): boolean {
  const ages = instrument.ages ?? { min: 16, max: Infinity }
  return age >= ages.min && age <= ages.max
}

export class InstrumentConfigError extends Error {
  readonly problems: readonly string[]
  constructor(instrumentId: string, problems: readonly string[]) {
    super(`Instrument ${instrumentId}: ${problems.join('; ')}`)
    this.problems = problems
  }
}

/** What is wrong with an instrument's data (empty when nothing is). */
export function instrumentProblems(instrument: Instrument): string[] {
  const problems: string[] = []
  if (instrument.items.length === 0) problems.push('items: has no items')
  const seen = new Set<string>()
  instrument.items.forEach((entry, i) => {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(entry.id)) problems.push(`items[${i}].id: "${entry.id}" must be lower-case words joined by hyphens`)
    if (seen.has(entry.id)) problems.push(`items[${i}].id: "${entry.id}" is used twice`)
    seen.add(entry.id)
    if (entry.text.trim() === '') problems.push(`items[${i}].text: is empty`)
  })
  if (instrument.scoring === 'count-of-yes') problems.push(...thresholdProblems(instrument.thresholds, instrument.items.length))
  return problems
}

function thresholdProblems(thresholds: Thresholds, itemCount: number): string[] {
  const problems: string[] = []
  for (const key of ['medium', 'high'] as const) {
    const value = thresholds[key]
    if (!Number.isInteger(value)) problems.push(`thresholds.${key}: must be a whole number of Yes answers, not ${String(value)}`)
  }
  if (problems.length > 0) return problems
  if (thresholds.medium < 1) problems.push(`thresholds.medium: must be 1 or more (0 Yes answers is always standard), not ${thresholds.medium}`)
  if (thresholds.high <= thresholds.medium) problems.push(`thresholds.high: must be more than thresholds.medium (${thresholds.medium}): thresholds must increase, and ${thresholds.high} does not`)
  if (thresholds.high > itemCount) problems.push(`thresholds.high: ${thresholds.high} can never be reached with ${itemCount} items`)
  return problems
}

/**
 * The instrument with a partnership's threshold overrides applied, checked. Throws InstrumentConfigError
 * listing every problem: thresholds that are not whole numbers, do not increase (medium < high), start
 * at 0, cannot be reached, or are given for a tool graded by the assessor.
 */
export function configureInstrument(instrument: Instrument, overrides: Partial<Thresholds> = {}): Instrument {
  const given = (Object.keys(overrides) as Array<keyof Thresholds>).filter((key) => overrides[key] !== undefined)
  if (instrument.scoring === 'assessor-grade') {
    if (given.length > 0) {
      throw new InstrumentConfigError(instrument.id, given.map((key) => `thresholds.${key}: this tool has no tick threshold (the assessor chooses the grade), so it takes no thresholds`))
    }
    const problems = instrumentProblems(instrument)
    if (problems.length > 0) throw new InstrumentConfigError(instrument.id, problems)
    return instrument
  }
  const configured: ChecklistInstrument = { ...instrument, thresholds: { ...instrument.thresholds, ...Object.fromEntries(given.map((key) => [key, overrides[key]])) } }
  const problems = instrumentProblems(configured)
  if (problems.length > 0) throw new InstrumentConfigError(instrument.id, problems)
  return configured
}

/** The grade a number of Yes answers gives under some thresholds (0 Yes is standard). */
export function gradeForYesCount(thresholds: Thresholds, yesCount: number): RiskGrade {
  if (yesCount >= thresholds.high) return 'high'
  if (yesCount >= thresholds.medium) return 'medium'
  return 'standard'
}
