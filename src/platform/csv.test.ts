import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CsvParser, csvLine, parseCsv } from './csv.ts'

test('quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF, blank lines, line numbers', () => {
  const rows = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\nlast,,\n')
  assert.deepEqual(rows, [
    { line: 1, values: ['a', 'b', 'c'] },
    { line: 2, values: ['x, y', 'say "hi"', 'two\nlines'] },
    { line: 5, values: ['last', '', ''] }
  ])
})

test('a file without a final line break keeps its last row; an unclosed quote is an error naming the line', () => {
  assert.deepEqual(parseCsv('a,b\n1,2'), [{ line: 1, values: ['a', 'b'] }, { line: 2, values: ['1', '2'] }])
  assert.throws(() => parseCsv('a\n"open'), /Line 2: a quoted field is not closed/)
})

test('chunks can split anywhere, even inside a doubled quote', () => {
  const text = 'id,name\n1,"O""Brien, Sean"\n2,plain\n'
  const whole = parseCsv(text)
  for (let cut = 1; cut < text.length; cut++) {
    const parser = new CsvParser()
    const rows = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()]
    assert.deepEqual(rows, whole, `cut at ${cut}`)
  }
})

test('writing quotes only what needs it, and round-trips', () => {
  const line = csvLine(['plain', 'a,b', 'say "x"', null, 3])
  assert.equal(line, 'plain,"a,b","say ""x""",,3\n')
  assert.deepEqual(parseCsv(line)[0]?.values, ['plain', 'a,b', 'say "x"', '', '3'])
})
