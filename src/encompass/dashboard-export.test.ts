// The dashboard's CSV files: a header row, UK local times, and no cell a spreadsheet would run as a formula.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { csvOf, exportFileName, notificationsCsv, spreadsheetSafe } from './dashboard-export.ts'
import { parseCsv } from '../platform/csv.ts'

test('a cell that starts like a formula is written as text', () => {
  for (const risky of ['=HYPERLINK("http://x")', '+44 121', '-1+2', '@SUM(A1)', '\t=1']) assert.equal(spreadsheetSafe(risky), `'${risky}`)
  assert.equal(spreadsheetSafe('HPF/2026/123'), 'HPF/2026/123')
  assert.equal(spreadsheetSafe(3), 3)
  assert.equal(spreadsheetSafe(null), null)
  const rows = parseCsv(csvOf(['Setting'], [['=cmd|"/c calc"!A1'], ['St Mary\'s, "Upper"']])).map((r) => r.values)
  assert.deepEqual(rows, [['Setting'], ['\'=cmd|"/c calc"!A1'], ['St Mary\'s, "Upper"']])
})

test('a notification row: the police reference, which child, the setting, UK times and the status in words', () => {
  const csv = notificationsCsv([{
    id: 'n1', policeReference: 'HPF/1', policeForce: 'Harbourshire Police', child: 2, recipientKind: 'setting', recipientName: 'Meadowbank Primary School', settingUrn: '990001',
    createdAt: new Date('2026-06-15T20:00:00Z'), deadline: new Date('2026-06-16T07:45:00Z'), firstOpenedAt: null, acknowledgedAt: null, escalationLevel: 1, status: 'late'
  }])
  const [header, row] = parseCsv(csv).map((r) => r.values)
  assert.equal(header!.length, row!.length)
  assert.deepEqual(row, ['Harbourshire Police', 'HPF/1', '2', 'Setting', 'Meadowbank Primary School', '990001', '2026-06-15 21:00', '2026-06-16 08:45', 'Late: not opened', '', '', 'Deputies told'])
  assert.equal(exportFileName('late', '2026-06-16'), 'encompass-late-2026-06-16.csv')
})
