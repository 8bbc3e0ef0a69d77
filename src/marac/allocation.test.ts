import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_MEETING_CAPACITY, ScheduleError, allocate, meetingDates, overTargetWait, queueAlert, upcomingMeetings, waitingDays } from './allocation.ts'
import type { AllocationOutcome, CoordinatorMove, Meeting, WaitingReferral } from './allocation.ts'

const fortnightly = { code: 'BHM', rhythm: 'fortnightly' as const, firstMeeting: '2026-01-06' } // Tuesdays
const meetings = (capacity: number, ...dates: string[]): Meeting[] => dates.map((date) => ({ date, capacity }))
const r = (id: string, referredOn: string, highPriority = false): WaitingReferral => ({ id, referredOn, highPriority })

function allocated(outcome: AllocationOutcome) {
  if (!outcome.ok) assert.fail(JSON.stringify(outcome.errors))
  return outcome
}
const agenda = (outcome: AllocationOutcome) => Object.fromEntries(allocated(outcome).meetings.map((load) => [load.date, load.allocated]))
function errorsOf(outcome: AllocationOutcome) {
  if (outcome.ok) assert.fail('expected errors')
  return outcome.errors
}

test('fortnightly meetings from the first, on or after a date', () => {
  assert.deepEqual(meetingDates(fortnightly, '2026-01-01', 3), ['2026-01-06', '2026-01-20', '2026-02-03'])
  assert.deepEqual(meetingDates(fortnightly, '2026-01-20', 2), ['2026-01-20', '2026-02-03'], 'a meeting on the day itself is upcoming')
  assert.deepEqual(meetingDates(fortnightly, '2026-06-10', 2), ['2026-06-23', '2026-07-07'], '13 and 14 fortnights on')
  assert.deepEqual(meetingDates(fortnightly, new Date('2026-01-19T23:30:00Z'), 1), ['2026-01-20'], 'an instant is read as its London date')
})

test('a meeting on a bank holiday is held on the next working day', () => {
  const mondays = { code: 'SAN', rhythm: 'fortnightly' as const, firstMeeting: '2026-05-11' }
  assert.deepEqual(meetingDates(mondays, '2026-05-12', 2), ['2026-05-26', '2026-06-08'], 'Monday 25 May 2026 is the spring bank holiday')
})

test('monthly meetings: the same weekday in the same week; a 5th week means the last', () => {
  const secondTuesday = { code: 'WOL', rhythm: 'monthly' as const, firstMeeting: '2026-01-13' }
  assert.deepEqual(meetingDates(secondTuesday, '2026-01-14', 4), ['2026-02-10', '2026-03-10', '2026-04-14', '2026-05-12'])
  const lastFriday = { code: 'DUD', rhythm: 'monthly' as const, firstMeeting: '2026-01-30' }
  assert.deepEqual(meetingDates(lastFriday, '2026-01-01', 3), ['2026-01-30', '2026-02-27', '2026-03-27'])
  assert.deepEqual(meetingDates(lastFriday, '2026-12-01', 2), ['2026-12-29', '2027-01-29'], 'Friday 25 and Monday 28 December are bank holidays')
  const firstMonday = { code: 'WAL', rhythm: 'monthly' as const, firstMeeting: '2026-06-01' }
  assert.deepEqual(meetingDates(firstMonday, '2027-04-15', 2), ['2027-05-04', '2027-06-07'], 'the early May bank holiday')
  assert.deepEqual(meetingDates(firstMonday, '2026-01-01', 1), ['2026-06-01'], 'none before the first meeting')
})

test('a schedule that cannot be right is refused', () => {
  assert.throws(() => meetingDates({ ...fortnightly, firstMeeting: '2026-01-10' }, '2026-01-01', 1), /Area BHM: firstMeeting: 2026-01-10 is at a weekend/)
  assert.throws(() => meetingDates({ ...fortnightly, capacity: 0 }, '2026-01-01', 1), ScheduleError)
  assert.throws(() => meetingDates({ ...fortnightly, rhythm: 'weekly' as 'monthly' }, '2026-01-01', 1), /rhythm: must be fortnightly or monthly, not "weekly"/)
  assert.throws(() => meetingDates({ ...fortnightly, firstMeeting: '2026-02-30' }, '2026-01-01', 1), /firstMeeting: "2026-02-30" is not a real date/)
})

test('16 cases a meeting by default: the 17th goes to the next meeting', () => {
  const upcoming = upcomingMeetings(fortnightly, '2026-03-01', 2)
  assert.deepEqual(upcoming, [{ date: '2026-03-03', capacity: DEFAULT_MEETING_CAPACITY }, { date: '2026-03-17', capacity: 16 }])
  const queue = Array.from({ length: 17 }, (_, i) => r(`c${String(i + 1).padStart(2, '0')}`, '2026-02-20'))
  const outcome = allocated(allocate(queue, upcoming))
  assert.equal(outcome.meetings[0]?.allocated.length, 16)
  assert.deepEqual(outcome.meetings[1]?.allocated, ['c17'])
  assert.equal(outcome.meetings[0]?.spare, 0)
  assert.equal(outcome.meetings[0]?.overCapacity, false)
})

test('a full meeting pushes the rest to the next; cases already booked take room; no room left is unallocated', () => {
  const queue = [r('a', '2026-02-01'), r('b', '2026-02-02'), r('c', '2026-02-03'), r('d', '2026-02-04')]
  const outcome = allocate(queue, [{ date: '2026-03-17', capacity: 2 }, { date: '2026-03-03', capacity: 2, booked: 1 }])
  assert.deepEqual(agenda(outcome), { '2026-03-03': ['a'], '2026-03-17': ['b', 'c'] }, 'meetings in date order, whatever order they are given in')
  assert.deepEqual(allocated(outcome).unallocated, ['d'])
  assert.deepEqual(allocated(outcome).placements.map((placement) => [placement.referralId, placement.waitingDays]), [['a', 30], ['b', 43], ['c', 42]])
})

test('oldest first, high priority before all of them', () => {
  const queue = [r('new', '2026-02-25'), r('old', '2026-02-01'), r('urgent', '2026-02-27', true), r('middle', '2026-02-10')]
  assert.deepEqual(agenda(allocate(queue, meetings(2, '2026-03-03', '2026-03-17'))), { '2026-03-03': ['urgent', 'old'], '2026-03-17': ['middle', 'new'] })
})

test('ties on the same day keep the order given; two high-priority cases go oldest first', () => {
  const queue = [r('z', '2026-02-10'), r('a', '2026-02-10'), r('m', '2026-02-10'), r('p2', '2026-02-20', true), r('p1', '2026-02-11', true)]
  assert.deepEqual(agenda(allocate(queue, meetings(3, '2026-03-03', '2026-03-17'))), { '2026-03-03': ['p1', 'p2', 'z'], '2026-03-17': ['a', 'm'] })
})

test('a referral is never heard before it is made: by default not even on the same day', () => {
  const queue = [r('today', '2026-03-03'), r('yesterday', '2026-03-02')]
  assert.deepEqual(agenda(allocate(queue, meetings(5, '2026-03-03', '2026-03-17'))), { '2026-03-03': ['yesterday'], '2026-03-17': ['today'] })
  assert.deepEqual(agenda(allocate(queue, meetings(5, '2026-03-03', '2026-03-17'), [], { noticeDays: 0 }))['2026-03-03'], ['yesterday', 'today'])
  assert.deepEqual(agenda(allocate(queue, meetings(5, '2026-03-03', '2026-03-17'), [], { noticeDays: 7 }))['2026-03-03'], [], 'a week\'s notice for research')
})

test('a coordinator\'s move is honoured, even into a full meeting, and keeps its reason', () => {
  const queue = [r('a', '2026-02-01'), r('b', '2026-02-02'), r('c', '2026-02-20')]
  const moves: CoordinatorMove[] = [{ referralId: 'c', meeting: '2026-03-03', reason: ' Victim moving out of area next week ' }]
  const outcome = allocate(queue, meetings(2, '2026-03-03', '2026-03-17'), moves)
  assert.deepEqual(agenda(outcome), { '2026-03-03': ['c', 'a'], '2026-03-17': ['b'] })
  assert.deepEqual(allocated(outcome).placements[0], { referralId: 'c', meeting: '2026-03-03', waitingDays: 11, moveReason: 'Victim moving out of area next week' })
  const full = allocated(allocate(queue, meetings(1, '2026-03-03', '2026-03-17'), [...moves, { referralId: 'b', meeting: '2026-03-03', reason: 'Court date' }]))
  assert.deepEqual(full.meetings[0], { date: '2026-03-03', capacity: 1, booked: 0, allocated: ['c', 'b'], spare: 0, overCapacity: true })
  assert.deepEqual(full.meetings[1]?.allocated, ['a'])
})

test('a move can defer a case to a later meeting', () => {
  const queue = [r('a', '2026-02-01'), r('b', '2026-02-02')]
  assert.deepEqual(agenda(allocate(queue, meetings(2, '2026-03-03', '2026-03-17'), [{ referralId: 'a', meeting: '2026-03-17', reason: 'Waiting for the police research' }])), { '2026-03-03': ['b'], '2026-03-17': ['a'] })
})

test('a move without a reason, to no meeting, before the referral, or of a case not waiting is refused, naming the field', () => {
  const queue = [r('a', '2026-03-10'), r('b', '2026-02-02')]
  const errors = errorsOf(allocate(queue, meetings(2, '2026-03-03', '2026-03-17'), [
    { referralId: 'a', meeting: '2026-03-03', reason: '  ' },
    { referralId: 'b', meeting: '2026-03-04', reason: 'Urgent' },
    { referralId: 'x', meeting: '2026-03-17', reason: 'Urgent' },
    { referralId: 'b', meeting: '2026-03-17', reason: 'Again' }
  ]))
  assert.deepEqual(errors, [
    { field: 'moves[0].meeting', message: '2026-03-03 is before the referral (2026-03-10)' },
    { field: 'moves[0].reason', message: 'is required: say why the case is moved' },
    { field: 'moves[1].meeting', message: 'there is no meeting on 2026-03-04' },
    { field: 'moves[2].referralId', message: 'x is not waiting in this queue' },
    { field: 'moves[3].referralId', message: 'b is moved twice' }
  ])
})

test('bad queues and meetings are refused, naming the field', () => {
  const errors = errorsOf(allocate([r('a', '2026-02-01'), r('a', '2026-02-31')], [{ date: '2026-03-03', capacity: 0 }, { date: '2026-03-03', capacity: 2, booked: -1 }], [], { noticeDays: -1 }))
  assert.deepEqual(errors.map((error) => error.field), ['noticeDays', 'meetings[0].capacity', 'meetings[1].date', 'meetings[1].booked', 'queue[1].id', 'queue[1].referredOn'])
})

test('an alert when the next meetings cannot absorb the queue', () => {
  const queue = [r('a', '2026-02-01'), r('b', '2026-02-02'), r('c', '2026-02-03'), r('d', '2026-02-04'), r('e', '2026-02-05')]
  const outcome = allocated(allocate(queue, meetings(2, '2026-03-03', '2026-03-17', '2026-03-31')))
  assert.deepEqual(queueAlert(outcome, 3), { alert: false, meetings: ['2026-03-03', '2026-03-17', '2026-03-31'], unabsorbed: [], message: 'The next 3 meetings can take every waiting case' })
  assert.deepEqual(queueAlert(outcome, 2), { alert: true, meetings: ['2026-03-03', '2026-03-17'], unabsorbed: ['e'], message: 'The next 2 meetings cannot take 1 waiting case' })
  const short = allocated(allocate(queue, meetings(2, '2026-03-03')))
  assert.deepEqual(queueAlert(short, 2).unabsorbed, ['c', 'd', 'e'], 'fewer meetings than asked about: the unallocated')
  assert.throws(() => queueAlert(outcome, 0), /count: must be a whole number of meetings/)
})

test('a coordinator\'s deferral beyond the next meetings is not a capacity alert', () => {
  const outcome = allocated(allocate([r('a', '2026-02-01')], meetings(2, '2026-03-03', '2026-03-17'), [{ referralId: 'a', meeting: '2026-03-17', reason: 'Victim asked to wait' }]))
  assert.equal(queueAlert(outcome, 1).alert, false)
})

test('waiting time and cases over the target wait', () => {
  assert.equal(waitingDays('2026-02-01', '2026-03-03'), 30)
  const cases = [
    { id: 'heard-late', referredOn: '2026-01-01', hearingOn: '2026-02-10' },
    { id: 'heard-on-target', referredOn: '2026-01-05', hearingOn: '2026-02-02' },
    { id: 'still-waiting', referredOn: '2026-01-20' },
    { id: 'just-referred', referredOn: '2026-03-01' }
  ]
  assert.deepEqual(overTargetWait(cases, '2026-03-03', 28), [
    { id: 'still-waiting', waitingDays: 42, stillWaiting: true },
    { id: 'heard-late', waitingDays: 40, stillWaiting: false }
  ])
  assert.throws(() => overTargetWait(cases, '2026-03-03', -1), /targetDays/)
})
