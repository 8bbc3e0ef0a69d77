// Each list on the council's dashboard as a CSV file: a header row, then one row per line, times in UK
// local time. No child's name, as on the page. A cell that a spreadsheet would read as a formula (it
// starts with =, +, -, @ or a control character) is prefixed with an apostrophe, so an imported
// setting name or police reference can never run as one.
import { csvLine } from '../platform/csv.ts'
import type { AcknowledgementLine, DashboardList, NotificationLine, ReviewLine, SettingLine } from './dashboard.ts'
import { DEADLINE_STATUS_LABELS, escalationLabel, londonStamp } from './dashboard-rules.ts'

type Cell = string | number | null | undefined

export function spreadsheetSafe(value: Cell): Cell {
  if (typeof value !== 'string') return value
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export function csvOf(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => csvLine(row.map(spreadsheetSafe))).join('')
}

const NOTIFICATION_HEADER = [
  'Police force', 'Police reference', 'Child in report', 'Sent to', 'Setting or council', 'URN',
  'Sent (UK time)', 'Deadline (UK time)', 'Status', 'First opened (UK time)', 'Acknowledged (UK time)', 'Escalation'
]

const notificationCells = (line: NotificationLine): Cell[] => [
  line.policeForce, line.policeReference, line.child, line.recipientKind === 'council' ? 'Council' : 'Setting', line.recipientName, line.settingUrn,
  londonStamp(line.createdAt), londonStamp(line.deadline), DEADLINE_STATUS_LABELS[line.status], londonStamp(line.firstOpenedAt), londonStamp(line.acknowledgedAt),
  escalationLabel(line.escalationLevel)
]

export const notificationsCsv = (lines: NotificationLine[]) => csvOf(NOTIFICATION_HEADER, lines.map(notificationCells))

export const councilChildrenCsv = (lines: NotificationLine[]) => csvOf([...NOTIFICATION_HEADER, 'Why the council'], lines.map((line) => [...notificationCells(line), line.reason]))

export const reviewCsv = (lines: ReviewLine[]) => csvOf(
  ['Review item', 'Police force', 'Police reference', 'Child in report', 'Waiting since (UK time)', 'Hours waiting', 'Deadline (UK time)', 'At risk of missing the deadline', 'Why it is held for review'],
  lines.map((line) => [line.id, line.policeForce, line.policeReference, line.child, londonStamp(line.waitingSince), (line.waitingMinutes / 60).toFixed(1), londonStamp(line.deadline), line.atRisk ? 'Yes' : 'No', line.reason])
)

export const settingsCsv = (lines: SettingLine[]) => csvOf(
  ['URN', 'Setting', 'Phase', 'Type', 'Signed up to Operation Encompass', 'Designated Safeguarding Lead named', 'Notifications not acknowledged'],
  lines.map((line) => [line.urn, line.name, line.phase, line.type, line.signedUp ? 'Yes' : 'No', line.leadNamed ? 'Yes' : 'No', line.waiting])
)

export const acknowledgementCsv = (lines: AcknowledgementLine[]) => csvOf(
  ['URN', 'Setting', 'Notifications acknowledged', 'Median minutes to acknowledge'],
  lines.map((line) => [line.urn, line.name, line.acknowledged, line.medianMinutes.toFixed(1)])
)

/** The file name for a list exported on a date: encompass-late-2026-01-15.csv */
export function exportFileName(list: DashboardList, date: string): string {
  return `encompass-${list}-${date}.csv`
}
