import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateRoll, generateChildren, toCsv, NAME_VARIANTS, NICKNAMES, VARIATIONS } from './synthetic.ts'
import type { SyntheticPupil, SyntheticChild } from './synthetic.ts'

const REFERENCE = '2026-11-01'
const ROLL = generateRoll({ pupils: 20_000, seed: 1 })
const BIG_ROLL = generateRoll({ pupils: 60_000, seed: 11 })
const CHILDREN = generateChildren(BIG_ROLL, { children: 20_000, seed: 2 })
const PUPILS = new Map(BIG_ROLL.map((p) => [p.pupilId, p]))
const ON_ROLL = CHILDREN.filter((c) => c.truePupilId !== null)

const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/
const NOT_ON_ROLL_KINDS = ['sibling-preschool', 'sibling-school-age', 'twin-not-on-roll', 'stranger']
const RELATED_KINDS = ['sibling-preschool', 'sibling-school-age', 'twin-not-on-roll']

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const date = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text
}

function ageOn(dateOfBirth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))
  return on.slice(5) < dateOfBirth.slice(5) ? years - 1 : years
}

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000
}

// A family name with gendered endings removed: Kowalska ~ Kowalski, Horváthová ~ Horváth.
function stem(surname: string): string {
  return surname.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/(sk|ck|dzk)a$/, '$1i').replace(/ova$/, '').replace(/[ao]$/, '')
}

function byHousehold(roll: readonly SyntheticPupil[]): SyntheticPupil[][] {
  const households = new Map<string, SyntheticPupil[]>()
  for (const pupil of roll) {
    const members = households.get(pupil.householdId) ?? []
    members.push(pupil)
    households.set(pupil.householdId, members)
  }
  return [...households.values()]
}

function rate(children: readonly SyntheticChild[], tag: string): number {
  return children.filter((c) => c.variations.includes(tag)).length / children.length
}

test('the same seed gives the same roll and children, another seed different ones', () => {
  const roll = generateRoll({ pupils: 3000, seed: 5 })
  assert.deepEqual(generateRoll({ pupils: 3000, seed: 5 }), roll)
  assert.notDeepEqual(generateRoll({ pupils: 3000, seed: 6 }), roll)
  const children = generateChildren(roll, { children: 1000, seed: 5 })
  assert.deepEqual(generateChildren(roll.slice(), { children: 1000, seed: 5 }), children, 'a copy of the roll gives the same children')
  assert.notDeepEqual(generateChildren(roll, { children: 1000, seed: 6 }), children)
  assert.deepEqual(generateRoll({ pupils: 100, seed: 2 ** 40 + 5 }), generateRoll({ pupils: 100, seed: 2 ** 40 + 5 }), 'large seeds work')
  assert.notDeepEqual(generateRoll({ pupils: 100, seed: 2 ** 40 + 5 }), generateRoll({ pupils: 100, seed: 5 }), 'large seeds are not reduced to 32 bits')
})

test('every pupil has the documented shape', () => {
  assert.equal(ROLL.length, 20_000)
  const upns = new Set<string>()
  ROLL.forEach((p, i) => {
    assert.equal(p.pupilId, 'P' + String(i + 1).padStart(7, '0'))
    assert.match(p.upn, /^[A-Z]\d{12}$/)
    upns.add(p.upn)
    assert.match(p.urn, /^\d{6}$/)
    assert.ok(Number(p.urn) >= 990001 && Number(p.urn) <= 999999, p.urn)
    assert.ok(isIsoDate(p.dateOfBirth), p.dateOfBirth)
    const age = ageOn(p.dateOfBirth, REFERENCE)
    assert.ok(age >= 4 && age <= 17, `${p.dateOfBirth} is ${age} on ${REFERENCE}`)
    assert.ok(['F', 'M', 'X', ''].includes(p.gender))
    assert.match(p.postcode, POSTCODE)
    assert.match(p.address, /^(Flat \d+, )?\d+ [A-Z][A-Za-z' ]+ [A-Z][a-z]+$/)
    assert.match(p.householdId, /^H\d{7}$/)
    for (const name of [p.firstName, p.lastName]) assert.ok(name.length > 0 && name.trim() === name, JSON.stringify(name))
    assert.equal(p.middleNames.trim(), p.middleNames)
  })
  assert.equal(upns.size, ROLL.length, 'UPNs are unique')
  assert.deepEqual(generateRoll({ pupils: 0, seed: 1 }), [])
  assert.equal(generateRoll({ pupils: 1, seed: 1 }).length, 1)
})

test('a household shares address and postcode and nearly always the family name; siblings are spaced, twins share a birthday', () => {
  const households = byHousehold(ROLL)
  const homes = new Set<string>()
  let multi = 0
  let sameName = 0
  let twinHouseholds = 0
  let twinPairs = 0
  let twinsAtOneSchool = 0
  for (const members of households) {
    assert.ok(members.length >= 1 && members.length <= 5)
    const [first] = members as [SyntheticPupil]
    const home = `${first.address}|${first.postcode}`
    assert.ok(!homes.has(home), `two households at ${home}`)
    homes.add(home)
    for (const m of members) assert.equal(`${m.address}|${m.postcode}`, home)
    assert.equal(new Set(members.map((m) => m.firstName)).size, members.length, 'siblings have different first names')
    if (members.length > 1) {
      multi++
      if (new Set(members.map((m) => stem(m.lastName))).size === 1) sameName++
    }
    let twins = false
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i]!
        const b = members[j]!
        if (a.dateOfBirth === b.dateOfBirth) {
          twins = true
          twinPairs++
          if (a.urn === b.urn) twinsAtOneSchool++
        } else assert.ok(daysBetween(a.dateOfBirth, b.dateOfBirth) >= 300, `${a.dateOfBirth} and ${b.dateOfBirth}`)
      }
    }
    if (twins) twinHouseholds++
  }
  assert.ok(sameName / multi > 0.8, `${sameName} of ${multi} households share a family name`)
  const twinShare = twinHouseholds / households.length
  assert.ok(twinShare >= 0.012 && twinShare <= 0.025, `twins in ${(twinShare * 100).toFixed(2)}% of households`)
  assert.ok(twinsAtOneSchool / twinPairs > 0.8, 'twins usually go to the same school')
  const sizes = households.map((h) => h.length)
  assert.ok(sizes.filter((s) => s === 1).length / sizes.length > 0.3 && sizes.some((s) => s === 5), 'households of 1 to 5')
  const streets = new Set(ROLL.map((p) => `${p.address.replace(/^Flat \d+, /, '').replace(/^\d+ /, '')}|${p.postcode.split(' ')[0]}`))
  assert.ok(households.length / streets.size > 4, 'several households to a street')
})

test('names are diverse and common names are common', () => {
  const ranked = (names: string[]): string[] => {
    const counts = new Map<string, number>()
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1)
    return [...counts].sort((a, b) => b[1] - a[1]).map(([n]) => n)
  }
  const boys = ranked(ROLL.filter((p) => p.gender === 'M').map((p) => p.firstName))
  const girls = ranked(ROLL.filter((p) => p.gender === 'F').map((p) => p.firstName))
  const surnames = ranked(ROLL.map((p) => p.lastName))
  assert.ok(boys.length >= 300 && girls.length >= 300 && surnames.length >= 300, `${boys.length} boys' names, ${girls.length} girls', ${surnames.length} surnames`)
  assert.equal(boys[0], 'Muhammad')
  for (const name of ['Mohammed', 'Oliver', 'Jack']) assert.ok(boys.slice(0, 10).includes(name), `${name} in ${boys.slice(0, 10).join(' ')}`)
  for (const name of ['Olivia', 'Amelia']) assert.ok(girls.slice(0, 5).includes(name), `${name} in ${girls.slice(0, 5).join(' ')}`)
  for (const name of ['Khan', 'Ahmed', 'Hussain', 'Ali', 'Smith', 'Begum', 'Jones']) assert.ok(surnames.slice(0, 12).includes(name), `${name} in ${surnames.slice(0, 12).join(' ')}`)
  const all = ROLL.map((p) => `${p.firstName} ${p.middleNames} ${p.lastName}`).join(' ')
  for (const name of ['Patel', 'Kaur', 'Nowak', 'Mohamed', 'Okafor', 'Nguyen', 'Popescu', "O'", 'Ł']) assert.ok(all.includes(name), `some ${name}`)
})

test('schools are synthetic URNs, near home, and the school count is respected', () => {
  assert.equal(new Set(ROLL.map((p) => p.urn)).size, Math.ceil(20_000 / 450))
  const three = generateRoll({ pupils: 2000, seed: 3, schools: 3 })
  assert.deepEqual([...new Set(three.map((p) => p.urn))].sort(), ['990001', '990002', '990003'])
  let pairs = 0
  let together = 0
  for (const members of byHousehold(ROLL)) {
    for (let i = 1; i < members.length; i++) {
      const primary = (p: SyntheticPupil): boolean => ageOn(p.dateOfBirth, '2026-08-31') <= 10
      if (primary(members[i]!) && primary(members[i - 1]!)) {
        pairs++
        if (members[i]!.urn === members[i - 1]!.urn) together++
      }
    }
  }
  assert.ok(together / pairs > 0.6, `${together} of ${pairs} primary-age sibling pairs at one school`)
  const earlier = generateRoll({ pupils: 2000, seed: 3, referenceDate: '2020-01-15' })
  for (const p of earlier) {
    const age = ageOn(p.dateOfBirth, '2020-01-15')
    assert.ok(age >= 4 && age <= 17, p.dateOfBirth)
  }
})

test('reported children: the configured share is not on the roll, half of them siblings or twins', () => {
  assert.equal(CHILDREN.length, 20_000)
  CHILDREN.forEach((c, i) => assert.equal(c.childId, 'C' + String(i + 1).padStart(7, '0')))
  const notOnRoll = CHILDREN.filter((c) => c.truePupilId === null)
  assert.equal(notOnRoll.length, 3000)
  assert.equal(notOnRoll.filter((c) => RELATED_KINDS.includes(c.variations[0]!)).length, 1500)
  assert.equal(notOnRoll.filter((c) => c.variations[0] === 'stranger').length, 1500)
  const twins = notOnRoll.filter((c) => c.variations[0] === 'twin-not-on-roll').length
  const preschool = notOnRoll.filter((c) => c.variations[0] === 'sibling-preschool').length
  assert.ok(twins > 150 && preschool > 600, `${twins} twins, ${preschool} preschool siblings`)

  const other = generateChildren(BIG_ROLL, { children: 5000, seed: 3, notOnRollShare: 0.3, siblingOrTwinShare: 0.2 })
  const otherNot = other.filter((c) => c.truePupilId === null)
  assert.equal(otherNot.length, 1500)
  assert.equal(otherNot.filter((c) => RELATED_KINDS.includes(c.variations[0]!)).length, 300)
  assert.equal(generateChildren(BIG_ROLL, { children: 500, seed: 3, notOnRollShare: 0 }).filter((c) => c.truePupilId === null).length, 0)
  assert.ok(generateChildren([], { children: 50, seed: 3 }).every((c) => c.truePupilId === null && c.variations[0] === 'stranger'), 'with no roll every child is a stranger')
})

test('ground truth points to different real pupils, and siblings are often reported together', () => {
  const seen = new Set<string>()
  for (const c of ON_ROLL) {
    assert.ok(PUPILS.has(c.truePupilId!), c.truePupilId!)
    assert.ok(!seen.has(c.truePupilId!), `${c.truePupilId!} reported twice`)
    seen.add(c.truePupilId!)
    for (const kind of NOT_ON_ROLL_KINDS) assert.ok(!c.variations.includes(kind))
  }
  for (const c of CHILDREN) {
    if (c.truePupilId === null) assert.ok(NOT_ON_ROLL_KINDS.includes(c.variations[0]!), c.variations.join())
    for (const tag of c.variations) assert.ok(tag in VARIATIONS, `${tag} is documented`)
  }
  let withSibling = 0
  CHILDREN.forEach((c, i) => {
    const household = c.truePupilId ? PUPILS.get(c.truePupilId)!.householdId : null
    const neighbours = [CHILDREN[i - 1], CHILDREN[i + 1]].filter((n) => n?.truePupilId)
    if (household && neighbours.some((n) => PUPILS.get(n!.truePupilId!)!.householdId === household)) withSibling++
  })
  assert.ok(withSibling / ON_ROLL.length > 0.3, `${withSibling} of ${ON_ROLL.length} reported next to a sibling`)
})

test('with errorScale 0 pupils are reported exactly, and the hard cases are what they say', () => {
  const clean = generateChildren(BIG_ROLL, { children: 6000, seed: 4, errorScale: 0 })
  const homes = new Map<string, SyntheticPupil[]>()
  for (const p of BIG_ROLL) homes.set(`${p.address}|${p.postcode}`, [...(homes.get(`${p.address}|${p.postcode}`) ?? []), p])
  for (const c of clean) {
    assert.ok(isIsoDate(c.dateOfBirth))
    const age = ageOn(c.dateOfBirth, REFERENCE)
    assert.ok(age >= 0 && age <= 17, c.dateOfBirth)
    if (c.truePupilId !== null) {
      const p = PUPILS.get(c.truePupilId)!
      assert.deepEqual([c.firstName, c.middleNames, c.lastName, c.dateOfBirth, c.gender, c.address, c.postcode], [p.firstName, p.middleNames, p.lastName, p.dateOfBirth, p.gender, p.address, p.postcode])
      assert.deepEqual(c.variations, [])
      continue
    }
    assert.equal(c.variations.length, 1)
    const kind = c.variations[0]
    if (kind === 'stranger') continue
    const family = homes.get(`${c.address}|${c.postcode}`)
    assert.ok(family, `a ${kind!} lives with a pupil`)
    assert.ok(family.some((p) => stem(p.lastName) === stem(c.lastName)) || ['Singh', 'Kaur'].includes(c.lastName), `${c.lastName} among ${family.map((p) => p.lastName).join()}`)
    assert.ok(family.every((p) => p.firstName !== c.firstName), 'a new first name')
    if (kind === 'twin-not-on-roll') assert.ok(family.some((p) => p.dateOfBirth === c.dateOfBirth), 'same birthday as a pupil')
    else assert.ok(family.every((p) => daysBetween(p.dateOfBirth, c.dateOfBirth) >= 280), 'a different birthday from every pupil at home')
    if (kind === 'sibling-preschool') assert.ok(age <= 4, `${c.dateOfBirth} is preschool`)
    if (kind === 'sibling-school-age') assert.ok(age >= 4, `${c.dateOfBirth} is school age`)
  }
})

test('recording errors happen at about their documented rates, and change what they say', () => {
  const within = (tags: string[], low: number, high: number): void => {
    const r = ON_ROLL.filter((c) => tags.some((t) => c.variations.includes(t))).length / ON_ROLL.length
    assert.ok(r >= low && r <= high, `${tags.join('+')}: ${(r * 100).toFixed(2)}%, expected ${low * 100}-${high * 100}%`)
  }
  within(['nickname', 'transliteration'], 0.06, 0.1)
  within(['first-name-typo', 'last-name-typo'], 0.035, 0.065)
  within(['dob-day-month-swapped'], 0.012, 0.03)
  within(['dob-digit-wrong'], 0.012, 0.03)
  within(['dob-missing'], 0.005, 0.018)
  within(['surname-other-parent', 'surname-double-barrelled', 'surname-half-dropped'], 0.02, 0.045)
  within(['middle-name-dropped'], 0.08, 0.18)
  within(['moved'], 0.045, 0.1)
  within(['gender-missing'], 0.18, 0.22)
  within(['postcode-missing'], 0.02, 0.045)
  within(['case'], 0.12, 0.18)
  within(['address-format'], 0.2, 0.3)
  assert.ok(ON_ROLL.filter((c) => c.variations.length === 0).length / ON_ROLL.length > 0.15, 'some reports are exact')

  const variants = (name: string): string[] => {
    const key = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').toLowerCase()
    return [...(NICKNAMES[key] ?? []), ...Object.entries(NAME_VARIANTS).filter(([k, v]) => k === key || v.includes(key)).flatMap(([k, v]) => [k, ...v])]
  }
  for (const c of ON_ROLL) {
    const p = PUPILS.get(c.truePupilId!)!
    const has = (tag: string): boolean => c.variations.includes(tag)
    const nameTouched = ['first-name-typo', 'case', 'whitespace', 'names-swapped', 'hyphen', 'apostrophe', 'accents-stripped'].some(has)
    if (has('nickname') && !nameTouched) assert.ok(variants(p.firstName).includes(c.firstName.toLowerCase()), `${p.firstName} → ${c.firstName}`)
    if (has('transliteration') && !nameTouched) assert.ok(variants(p.firstName).includes(c.firstName.toLowerCase()), `${p.firstName} → ${c.firstName}`)
    if (has('dob-missing')) assert.equal(c.dateOfBirth, '')
    else assert.ok(isIsoDate(c.dateOfBirth), c.dateOfBirth)
    if (has('dob-day-month-swapped') && !has('dob-digit-wrong')) assert.equal(c.dateOfBirth, `${p.dateOfBirth.slice(0, 4)}-${p.dateOfBirth.slice(8)}-${p.dateOfBirth.slice(5, 7)}`)
    if (has('dob-digit-wrong') && !has('dob-day-month-swapped')) assert.equal([...c.dateOfBirth].filter((d, i) => d !== p.dateOfBirth[i]).length, 1)
    if (has('gender-missing')) assert.equal(c.gender, '')
    else assert.equal(c.gender, p.gender)
    if (has('postcode-missing')) assert.equal(c.postcode, '')
    if (!has('moved') && !has('postcode-missing') && !has('postcode-format')) assert.equal(c.postcode, p.postcode)
    if (!has('moved') && !has('address-format')) assert.equal(c.address, p.address)
    if (has('moved')) assert.notEqual(`${c.address}|${c.postcode}`, `${p.address}|${p.postcode}`)
    if (c.variations.length === 0) assert.deepEqual([c.firstName, c.middleNames, c.lastName, c.dateOfBirth, c.gender, c.address, c.postcode], [p.firstName, p.middleNames, p.lastName, p.dateOfBirth, p.gender, p.address, p.postcode])
  }

  const doubled = generateChildren(BIG_ROLL, { children: 5000, seed: 2, errorScale: 2 }).filter((c) => c.truePupilId !== null)
  const missing = rate(doubled, 'gender-missing')
  assert.ok(missing > 0.36 && missing < 0.44, `errorScale 2 doubles gender-missing: ${missing}`)
})

test('name tables are lower case, canonical to variants, and hold the common ones', () => {
  for (const table of [NAME_VARIANTS, NICKNAMES]) {
    for (const [name, others] of Object.entries(table)) {
      assert.match(name, /^[a-z][a-z' -]*$/)
      assert.ok(others.length > 0)
      for (const other of others) {
        assert.match(other, /^[a-z][a-z' -]*$/)
        assert.notEqual(other, name)
      }
    }
  }
  for (const spelling of ['mohammed', 'mohammad', 'mohamed']) assert.ok(NAME_VARIANTS.muhammad!.includes(spelling))
  assert.ok(NAME_VARIANTS.aisha!.includes('ayesha'))
  assert.ok(NAME_VARIANTS.yusuf!.includes('yousuf'))
  assert.ok(NICKNAMES.william!.includes('bill') && NICKNAMES.william!.includes('liam'))
  assert.ok(NICKNAMES.elizabeth!.includes('beth') && NICKNAMES.alexander!.includes('alex') && NICKNAMES.thomas!.includes('tom') && NICKNAMES.olivia!.includes('liv'))
})

test('toCsv quotes fields as RFC 4180 asks', () => {
  const csv = toCsv([
    { a: 'plain', b: 'O\'Brien, Seán', c: 'say "hi"', d: null },
    { a: 'two\nlines', b: ['nickname', 'moved'], c: 12, d: undefined }
  ], ['a', 'b', 'c', 'd'])
  assert.equal(csv, 'a,b,c,d\r\nplain,"O\'Brien, Seán","say ""hi""",\r\n"two\nlines",nickname;moved,12,\r\n')
  assert.equal(toCsv([], ['x']), 'x\r\n')
  const line = toCsv(ROLL.slice(0, 1), ['pupilId', 'firstName', 'address']).split('\r\n')[1]
  assert.equal(line, [ROLL[0]!.pupilId, ROLL[0]!.firstName, ROLL[0]!.address].join(','))
})

test('bad options are refused', () => {
  assert.throws(() => generateRoll({ pupils: -1, seed: 1 }), RangeError)
  assert.throws(() => generateRoll({ pupils: 1.5, seed: 1 }), RangeError)
  assert.throws(() => generateRoll({ pupils: 10, seed: Number.NaN }), RangeError)
  assert.throws(() => generateRoll({ pupils: 10, seed: 1, referenceDate: '2026-02-30' }), RangeError)
  assert.throws(() => generateRoll({ pupils: 10, seed: 1, schools: 0 }), RangeError)
  assert.throws(() => generateChildren(ROLL, { children: 10, seed: 1, notOnRollShare: 1.5 }), RangeError)
  assert.throws(() => generateChildren(ROLL.slice(0, 10), { children: 100, seed: 1 }), /cannot report 85 different pupils from a roll of 10/)
})
