// Each comparison level at its edge, and the normalising that feeds them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { prepare, cleanName, normalisePostcode, normaliseDate, surnameParts } from './normalise.ts'
import type { PersonRecord } from './normalise.ts'
import { compareAddress, compareDateOfBirth, compareFirstName, compareGender, comparePostcode, compareSurname, FIELDS } from './comparisons.ts'
import { editDistance, jaroWinkler, phonetic } from './strings.ts'

const base: PersonRecord = { id: 'a', firstName: 'Amira', middleNames: 'Noor', lastName: 'Hussain', dateOfBirth: '2015-03-04', gender: 'F', address: '12 Acacia Road', postcode: 'B12 9QT' }
const level = (field: number) => FIELDS[field]!.levels
const with_ = (changes: Partial<PersonRecord>) => prepare({ ...base, id: 'b', ...changes })
const a = prepare(base)

test('names are cleaned of case, accents, apostrophes, hyphens and spacing; Mc and Mac join up', () => {
  assert.equal(cleanName("  ZOË  O'Brien-Smith "), 'zoe obrien smith')
  assert.equal(cleanName('Mc Donald'), 'mcdonald')
  assert.equal(cleanName('Mac Intyre'), 'macintyre')
  assert.equal(cleanName('Łukasz'), 'lukasz')
  assert.deepEqual(surnameParts('Smith-Jones'), ['smith', 'jones'])
  assert.deepEqual(surnameParts('Smith  Jones'), ['smith', 'jones'])
  assert.equal(cleanName(''), '')
})

test('postcodes: full, sector, district; bad ones are dropped and an outward code alone keeps its district', () => {
  assert.deepEqual(normalisePostcode('b129qt'), { full: 'B12 9QT', sector: 'B12 9', district: 'B12', area: 'B' })
  assert.deepEqual(normalisePostcode('B12'), { full: '', sector: '', district: 'B12', area: 'B' })
  assert.equal(normalisePostcode('not a postcode').district, '')
  assert.equal(normalisePostcode(undefined).full, '')
})

test('dates: only real calendar dates count', () => {
  assert.equal(normaliseDate('2016-02-29'), '20160229')
  assert.equal(normaliseDate('2015-02-29'), '')
  assert.equal(normaliseDate('04/03/2015'), '')
})

test('string measures behave at their edges', () => {
  assert.equal(jaroWinkler('martha', 'martha'), 1)
  assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.961) < 0.001)
  assert.equal(jaroWinkler('', 'abc'), 0)
  assert.equal(editDistance('hussain', 'hussian'), 1, 'a transposition is one edit')
  assert.equal(editDistance('abc', 'abcdefgh', 3), 4, 'capped')
  assert.equal(phonetic('stephen'), phonetic('steven'))
  assert.equal(phonetic('catherine'), phonetic('kathryn'))
  assert.notEqual(phonetic('smith'), phonetic('jones'))
})

test('first name: every level', () => {
  assert.equal(level(0)[compareFirstName(a, with_({ firstName: 'AMIRA' }))], 'exactly the same')
  assert.equal(level(0)[compareFirstName(prepare({ ...base, firstName: 'William' }), with_({ firstName: 'Bill' }))], 'a known nickname or spelling variant')
  assert.equal(level(0)[compareFirstName(prepare({ ...base, firstName: 'Mohammed' }), with_({ firstName: 'Muhammad' }))], 'a known nickname or spelling variant')
  assert.equal(level(0)[compareFirstName(a, with_({ firstName: 'Amirah' }))], 'nearly the same (one or two letters)')
  assert.equal(level(0)[compareFirstName(prepare({ ...base, firstName: 'Kayleigh' }), with_({ firstName: 'Kayley' }))], 'similar', 'Jaro-Winkler 0.89: between 0.88 and 0.92')
  assert.equal(level(0)[compareFirstName(prepare({ ...base, firstName: 'Jonathon' }), with_({ firstName: 'Johnathan' }))], 'sounds the same', 'Jaro-Winkler 0.83, but the same sound')
  assert.equal(level(0)[compareFirstName(a, with_({ firstName: '' }))], 'missing')
  assert.equal(level(0)[compareFirstName(prepare({ ...base, firstName: 'Ali', middleNames: '' }), with_({ firstName: 'Muhammad', middleNames: 'Ali' }))], 'is a middle name on the roll')
  assert.equal(level(0)[compareFirstName(a, with_({ firstName: 'Noor', middleNames: '' }))], 'the roll\'s first name is a middle name here')
  assert.equal(level(0)[compareFirstName(a, with_({ firstName: 'Bethany' }))], 'different')
})

test('surname: every level, including one half of a double-barrelled name', () => {
  assert.equal(level(1)[compareSurname(a, with_({ lastName: 'hussain' }))], 'exactly the same')
  assert.equal(level(1)[compareSurname(a, with_({ lastName: 'Hussain-Begum' }))], 'one part of a double-barrelled surname')
  assert.equal(level(1)[compareSurname(a, with_({ lastName: 'Husain' }))], 'nearly the same (one or two letters)')
  assert.equal(level(1)[compareSurname(prepare({ ...base, lastName: 'Smyth' }), with_({ lastName: 'Smith' }))], 'similar')
  assert.equal(level(1)[compareSurname(a, with_({ lastName: 'Okafor' }))], 'different')
  assert.equal(level(1)[compareSurname(a, with_({ lastName: '' }))], 'missing')
})

test('date of birth: exact, swapped, one digit, a month, a year, different', () => {
  assert.equal(level(2)[compareDateOfBirth(a, with_({}))], 'exactly the same')
  assert.equal(level(2)[compareDateOfBirth(a, with_({ dateOfBirth: '2015-04-03' }))], 'day and month swapped')
  assert.equal(level(2)[compareDateOfBirth(a, with_({ dateOfBirth: '2015-03-07' }))], 'one digit different')
  assert.equal(level(2)[compareDateOfBirth(a, with_({ dateOfBirth: '2016-03-04' }))], 'one digit different')
  assert.equal(level(2)[compareDateOfBirth(a, with_({ dateOfBirth: '2015-02-27' }))], 'within a month')
  assert.equal(level(2)[compareDateOfBirth(a, with_({ dateOfBirth: '2014-12-25' }))], 'within a year')
  assert.equal(level(2)[compareDateOfBirth(a, with_({ dateOfBirth: '2012-08-30' }))], 'different')
  assert.equal(level(2)[compareDateOfBirth(a, with_({ dateOfBirth: '' }))], 'missing')
})

test('gender, postcode and address levels', () => {
  assert.equal(level(3)[compareGender(a, with_({ gender: 'f' }))], 'the same')
  assert.equal(level(3)[compareGender(a, with_({ gender: 'M' }))], 'different')
  assert.equal(level(3)[compareGender(a, with_({ gender: '' }))], 'missing')
  assert.equal(level(4)[comparePostcode(a, with_({ postcode: 'b12 9qt' }))], 'exactly the same')
  assert.equal(level(4)[comparePostcode(a, with_({ postcode: 'B12 9ZZ' }))], 'same sector (neighbouring streets)')
  assert.equal(level(4)[comparePostcode(a, with_({ postcode: 'B12 0AA' }))], 'same district')
  assert.equal(level(4)[comparePostcode(a, with_({ postcode: 'B7 4BB' }))], 'different')
  assert.equal(level(5)[compareAddress(a, with_({ address: '12 Acacia Rd' }))], 'same house and street')
  assert.equal(level(5)[compareAddress(a, with_({ address: '40 Acacia Road' }))], 'same street')
  assert.equal(level(5)[compareAddress(a, with_({ address: '3 Mill Lane' }))], 'different')
  assert.equal(level(5)[compareAddress(a, with_({ address: '' }))], 'missing')
})
