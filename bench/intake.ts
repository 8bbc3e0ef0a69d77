// Operation Encompass intake at a council's scale (issue 4, "Figures to reach"): police incidents of three
// children each, POSTed to /api/v1/incidents with a police force's API key over real HTTP, every child
// matched against a 200,000-pupil council roll. On PostgreSQL (a new database on the TEST_DATABASE_URL
// server, dropped after) and on the embedded PGlite (a temporary data folder):
//   (b) after a warm-up, an open-loop run at half the target rate (requests sent on a fixed schedule,
//       whether or not earlier ones have been answered), latency counted from each request's scheduled
//       time, once the mail worker has delivered what the warm-up queued and, on PostgreSQL, a
//       checkpoint has written out what it changed: a steady state;
//   (a) the most incidents per second sustained by a fixed number of clients sending back to back
//       (several concurrencies; the best is the figure); then (b) again, to show the recovery from a
//       minute at full load (reported, not the figure);
//   (c) the same incident, incident_version and incident_child rows inserted by plain SQL (no HTTP, no
//       matching, no notifications, no audit; one transaction an incident, at several numbers of writers
//       at once, the best kept), as the reference, and the ratio of the best rates, HTTP / plain.
// Harbour runs in its own process (startHarbour, as `npm start` does, listening on a local port), so its
// CPU time and peak memory are its own; this process sets up the data and plays the police force's
// records system. Every setting is signed up with a Designated Safeguarding Lead and a deputy, the
// partnership's aim, so each child routed to a school is a notification and two emails, as it would be.
// Figures only, never assertions.
//
// Settings: INTAKE_PUPILS (200000), INTAKE_SECONDS per closed-loop run (20), INTAKE_OPEN_SECONDS (30),
// INTAKE_CONCURRENCY ("16,32,64"), INTAKE_ONLY ("postgres" or "pglite"), INTAKE_LOG_LEVEL (warn),
// INTAKE_CPU_PROF (a folder: write a V8 CPU profile of the Harbour process there, to see where time goes),
// INTAKE_TRACE (1: count and time the SQL statements Harbour sends, and list them an incident).
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import pg from 'pg'
import { generateChildren, generateRoll, toCsv } from '../src/linkage/synthetic.ts'
import type { SyntheticPupil } from '../src/linkage/synthetic.ts'
import { ROLL_COLUMNS } from '../src/rolls/link-files.ts'
import { GIAS_COLUMNS, importGias } from '../src/organisations/gias.ts'
import { loadConfig } from '../src/platform/config.ts'
import { startHarbour } from '../src/platform/app.ts'

const TARGET = { postgres: 300, pglite: 50 } as const
type Kind = keyof typeof TARGET

const PUPILS = Number(process.env.INTAKE_PUPILS ?? 200_000)
const SECONDS = Number(process.env.INTAKE_SECONDS ?? 20)
const OPEN_SECONDS = Number(process.env.INTAKE_OPEN_SECONDS ?? 30)
const WARM_UP_SECONDS = 10
const PLAIN_SECONDS = 10
/** the longest wait for the mail worker's backlog before an open-loop run */
const SETTLE_SECONDS = 120
const CONCURRENCIES = (process.env.INTAKE_CONCURRENCY ?? '16,32,64').split(',').map(Number)
const LOG_LEVEL = process.env.INTAKE_LOG_LEVEL ?? 'warn'
const CHILDREN_PER_INCIDENT = 3
const POLICE_REFERENCE = 'HPF' // the demo partnership's police force
const LA_CODE = '990' // the demo council, whose default term calendar the settings follow
const BENCH_EMAIL = '@bench.harbour.invalid'

const count = (n: number) => Math.round(n).toLocaleString('en-GB')
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`

// ---------------------------------------------------------------------------------------------------
// The Harbour process: `node bench/intake.ts --serve`, configured by its environment. It says where it
// listens, answers requests for its CPU time and memory, and stops when told.

type ToServer = { kind: 'stats' } | { kind: 'stop' } | { kind: 'backlog' }
interface ServerStats { kind: 'stats', rss: number, maxRss: number, cpuMs: number, statements: Array<[string, { n: number, ms: number }]> }
type FromServer = { kind: 'ready', url: string } | ServerStats | { kind: 'backlog', emails: number }

/** With INTAKE_TRACE set: every SQL statement Harbour's process sends, counted and timed (to the answer), by its text. */
const statements = new Map<string, { n: number, ms: number }>()

function trace(target: object, method: string): void {
  const methods = target as Record<string, (...args: unknown[]) => unknown>
  const original = methods[method]!
  methods[method] = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined
    const text = (typeof first === 'string' ? first : first?.text ?? '?').replace(/\s+/g, ' ').trim().slice(0, 110)
    const started = performance.now()
    const result = original.apply(this, args)
    if (result instanceof Promise) {
      result.then(() => {
        const entry = statements.get(text) ?? { n: 0, ms: 0 }
        entry.n++
        entry.ms += performance.now() - started
        statements.set(text, entry)
      }, () => {})
    }
    return result
  }
}

function serverStats(): ServerStats {
  const cpu = process.cpuUsage()
  return {
    kind: 'stats', rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024, cpuMs: (cpu.user + cpu.system) / 1000,
    statements: [...statements.entries()]
  }
}

async function serve(): Promise<void> {
  const send = (message: FromServer) => process.send?.(message)
  if (process.env.INTAKE_TRACE) {
    trace(pg.Client.prototype, 'query')
    trace(PGlite.prototype, 'query')
    trace(PGlite.prototype, 'exec')
  }
  const harbour = await startHarbour(loadConfig(process.env), { listen: true })
  process.on('message', (message: ToServer) => {
    if (message.kind === 'stats') send(serverStats())
    if (message.kind === 'backlog') {
      // emails not yet delivered, read by Harbour's own process (PGlite is one process at a time)
      void harbour.services.db.selectFrom('mail_message').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'queued').executeTakeFirstOrThrow()
        .then((row) => send({ kind: 'backlog', emails: Number(row.n) }))
    }
    if (message.kind === 'stop') {
      send(serverStats())
      harbour.close().finally(() => process.exit(0))
    }
  })
  send({ kind: 'ready', url: harbour.url })
}

class HarbourProcess {
  readonly child: ChildProcess
  readonly url: Promise<string>
  #waiting: Array<(stats: ServerStats) => void> = []
  #backlogWaiting: Array<(emails: number) => void> = []

  constructor(env: Record<string, string>, profileDir: string | undefined) {
    this.child = fork(path.resolve(import.meta.dirname, 'intake.ts'), ['--serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL, HARBOUR_DEMO: 'true', INTAKE_TRACE: process.env.INTAKE_TRACE ?? '', ...env },
      execArgv: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    this.url = new Promise((resolve, reject) => {
      this.child.on('message', (message: FromServer) => {
        if (message.kind === 'ready') resolve(message.url)
        else if (message.kind === 'backlog') this.#backlogWaiting.shift()?.(message.emails)
        else this.#waiting.shift()?.(message)
      })
      this.child.once('exit', (code) => reject(new Error(`Harbour exited with ${code}`)))
    })
  }

  async stats(): Promise<ServerStats> {
    return await new Promise((resolve) => {
      this.#waiting.push(resolve)
      this.child.send({ kind: 'stats' } satisfies ToServer)
    })
  }

  /** Emails queued and not yet delivered. */
  async mailBacklog(): Promise<number> {
    return await new Promise((resolve) => {
      this.#backlogWaiting.push(resolve)
      this.child.send({ kind: 'backlog' } satisfies ToServer)
    })
  }

  /** Waits (at most `seconds`) for the mail worker to deliver what earlier runs queued; the seconds it took, and what is left. */
  async settle(seconds: number): Promise<{ waited: number, left: number }> {
    const started = performance.now()
    let left = await this.mailBacklog()
    while (left > 0 && performance.now() - started < seconds * 1000) {
      await sleep(500)
      left = await this.mailBacklog()
    }
    return { waited: (performance.now() - started) / 1000, left }
  }

  async stop(): Promise<ServerStats> {
    if (this.child.exitCode !== null) return { kind: 'stats', rss: 0, maxRss: 0, cpuMs: 0, statements: [] }
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    const stats = await new Promise<ServerStats>((resolve) => {
      this.#waiting.push(resolve)
      this.child.send({ kind: 'stop' } satisfies ToServer)
    })
    await exited
    return stats
  }
}

// ---------------------------------------------------------------------------------------------------
// The data: a council roll, its settings in GIAS's format, and incidents made of the synthetic
// generator's police-reported children (its recording errors, and children on no roll, included).

interface Workload {
  rollCsv: string
  giasCsv: string
  /** incident bodies without their police reference and time, three children each */
  incidents: Array<Record<string, unknown>>
  onRollShare: number
  variedShare: number
}

function makeWorkload(folder: string): Workload {
  const roll = generateRoll({ pupils: PUPILS, seed: 41 })
  const rollCsv = path.join(folder, 'council-roll.csv')
  writeFileSync(rollCsv, toCsv(roll.map((p) => ({
    pupil_id: p.pupilId, upn: p.upn, urn: p.urn, first_name: p.firstName, middle_names: p.middleNames, last_name: p.lastName,
    date_of_birth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode
  })), [...ROLL_COLUMNS]))

  // every setting on the roll, in the demo council, as a GIAS establishments file
  const urns = [...new Set(roll.map((p) => p.urn))].sort()
  const G = GIAS_COLUMNS
  const giasCsv = path.join(folder, 'establishments.csv')
  writeFileSync(giasCsv, toCsv(urns.map((urn, i) => {
    const secondary = i % 5 === 0
    return {
      [G.urn]: urn, [G.laCode]: LA_CODE, [G.laName]: 'Harbourshire', [G.name]: `Synthetic ${secondary ? 'Academy' : 'Primary School'} ${i + 1}`,
      [G.type]: secondary ? 'Academy converter' : 'Community school', [G.status]: 'Open', [G.phase]: secondary ? 'Secondary' : 'Primary',
      [G.lowAge]: secondary ? '11' : '4', [G.highAge]: secondary ? '18' : '11', [G.postcode]: 'B1 1AA'
    }
  }), Object.values(G)))

  // 60,000 reported children (15% on no roll; fewer for a small roll), taken three at a time: the generator
  // reports them household by household, so an incident's children are often siblings. The API needs a
  // date of birth, and not one after the incident: the 1% the generator leaves without one, and the few
  // its typos put in the future, are left out.
  const lastBirthday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)
  const pupilById = new Map<string, SyntheticPupil>(roll.map((p) => [p.pupilId, p]))
  const reported = generateChildren(roll, { children: Math.min(60_000, Math.floor(PUPILS / 3)), seed: 42 })
    .filter((c) => c.dateOfBirth !== '' && c.dateOfBirth <= lastBirthday)
  const incidents: Array<Record<string, unknown>> = []
  for (let i = 0; i + CHILDREN_PER_INCIDENT <= reported.length; i += CHILDREN_PER_INCIDENT) {
    const children = reported.slice(i, i + CHILDREN_PER_INCIDENT)
    const n = incidents.length
    incidents.push({
      location: `${children[0]!.address || 'Address withheld'} (synthetic)`,
      circumstances: 'Verbal argument between the adults escalating to damage to property; children in the house. Officers attended, adult B left the address. (synthetic)',
      riskGrade: (['standard', 'medium', 'high', null] as const)[n % 4],
      adults: [{ label: 'A', firstName: 'Alex', lastName: children[0]!.lastName }, { label: 'B', firstName: 'Sam', lastName: 'Synthetic' }],
      children: children.map((c, k) => {
        // the officer noted the school of one child in five of those on a roll (the right one)
        const urn = c.truePupilId && (n + k) % 5 === 0 ? pupilById.get(c.truePupilId)?.urn : undefined
        return {
          firstName: c.firstName, lastName: c.lastName, dateOfBirth: c.dateOfBirth, present: (n + k) % 3 !== 0,
          ...(c.middleNames ? { middleNames: c.middleNames } : {}), ...(c.gender ? { gender: c.gender } : {}),
          ...(c.address ? { address: c.address } : {}), ...(c.postcode ? { postcode: c.postcode } : {}),
          ...(k === 0 ? { spokenTo: true, voiceOfChild: 'Said they were scared when the shouting started (synthetic)' } : {}),
          ...(urn ? { educationSettingUrn: urn } : {})
        }
      })
    })
  }
  const used = reported.slice(0, incidents.length * CHILDREN_PER_INCIDENT)
  return {
    rollCsv, giasCsv, incidents,
    onRollShare: used.filter((c) => c.truePupilId).length / used.length,
    variedShare: used.filter((c) => c.truePupilId && c.variations.some((v) => v !== 'gender-missing' && v !== 'case')).length / used.length
  }
}

/** Sets up the database as a partnership would: settings from GIAS, the council's roll, each setting signed up with a DSL and a deputy, a police key. */
async function setUp(env: Record<string, string>, workload: Workload): Promise<string> {
  const started = performance.now()
  const harbour = await startHarbour(loadConfig({ PORT: '0', LOG_LEVEL, HARBOUR_DEMO: 'true', ...env }), { listen: false })
  try {
    const db = harbour.services.db
    const actor = { label: 'benchmark' }
    const gias = await importGias(db, { path: workload.giasCsv, actor })
    if (!gias.ok) throw new Error(`GIAS import failed: ${gias.problems.slice(0, 3).join('; ')}`)
    const rollStarted = performance.now()
    const imported = await harbour.services.rollImports.importFile({ path: workload.rollCsv, actor, allowShrink: true })
    if (!imported.ok) throw new Error(`roll import failed: ${imported.problems.slice(0, 3).join('; ')}`)
    const rollSeconds = (performance.now() - rollStarted) / 1000
    // a lead and a deputy at every setting that has no one named yet
    await sql`update education_setting set encompass_signed_up = true where la_code = ${LA_CODE}`.execute(db)
    for (const kind of ['lead', 'deputy']) {
      await sql`insert into app_user (organisation_id, email, display_name, status)
        select s.organisation_id, ${kind} || '.' || s.urn || ${BENCH_EMAIL}, 'Synthetic ' || ${kind} || ' ' || s.urn, 'active'
        from education_setting s where s.la_code = ${LA_CODE} and not exists (select 1 from safeguarding_contact c where c.organisation_id = s.organisation_id)`.execute(db)
    }
    await sql`insert into safeguarding_contact (organisation_id, user_id, kind)
      select u.organisation_id, u.id, split_part(u.email, '.', 1) from app_user u where u.email like ${'%' + BENCH_EMAIL}`.execute(db)
    await sql`insert into user_role (user_id, role) select id, 'designated_safeguarding_lead' from app_user where email like ${'%' + BENCH_EMAIL}`.execute(db)
    const police = await db.selectFrom('organisation').select('id').where('reference', '=', POLICE_REFERENCE).executeTakeFirstOrThrow()
    const key = (await harbour.services.apiKeys.create(police.id, 'records system (benchmark)', actor)).key
    console.log(`  set up: ${count(gias.settings)} settings from a GIAS file, each signed up with a DSL and a deputy; ${count(imported.pupils)} pupils imported in ${rollSeconds.toFixed(1)} s; a police API key (${((performance.now() - started) / 1000).toFixed(1)} s in all)`)
    return key
  } finally {
    await harbour.close()
  }
}

// ---------------------------------------------------------------------------------------------------
// The police force's records system: HTTP/1.1 with keep-alive, as a real integration would send.

class Sender {
  readonly #url: URL
  readonly #key: string
  readonly #workload: Workload
  readonly #runId = randomBytes(3).toString('hex')
  readonly #occurredAt = new Date(Date.now() - 2 * 3600_000).toISOString()
  #next = 0
  created = 0
  routes: Record<string, number> = {}
  failures = 0
  firstFailures: string[] = []

  constructor(url: string, key: string, workload: Workload) {
    this.#url = new URL('/api/v1/incidents', url)
    this.#key = key
    this.#workload = workload
  }

  /** One new incident (a new police reference); the response time in ms, or undefined if it was not a 201. */
  async send(agent: http.Agent): Promise<number | undefined> {
    const n = this.#next++
    const template = this.#workload.incidents[n % this.#workload.incidents.length]!
    const body = JSON.stringify({ policeReference: `HPF/BENCH/${this.#runId}/${n}`, occurredAt: this.#occurredAt, ...template })
    const started = performance.now()
    const { status, text } = await new Promise<{ status: number, text: string }>((resolve, reject) => {
      const request = http.request(this.#url, {
        method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${this.#key}` }
      }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
        response.on('error', reject)
      })
      request.on('error', reject)
      request.end(body)
    }).catch((error: unknown) => ({ status: 0, text: String(error) }))
    const elapsed = performance.now() - started
    if (status !== 201) {
      this.failures++
      if (this.firstFailures.length < 3) this.firstFailures.push(`${status} ${text.slice(0, 300)}`)
      return undefined
    }
    this.created++
    for (const child of (JSON.parse(text) as { children: Array<{ route: string }> }).children) this.routes[child.route] = (this.routes[child.route] ?? 0) + 1
    return elapsed
  }
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

function latencies(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b)
  return `p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p95 ${percentile(sorted, 0.95).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${percentile(sorted, 1).toFixed(0)} ms`
}

/** Busy and total CPU time of the whole machine (every core), in clock ticks, from /proc/stat. */
function machineCpu(): { busy: number, total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0)
  const total = fields.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}

/** CPU time of other processes (PostgreSQL's backends), in ms; a process gone counts nothing. */
function processCpuMs(pids: number[]): Map<number, number> {
  const times = new Map<number, number>()
  for (const pid of pids) {
    try {
      // after "(command)": state is the 3rd field, utime and stime the 14th and 15th, in ticks of 1/100 s
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
      times.set(pid, (Number(fields[11]) + Number(fields[12])) * 10)
    } catch {
      // gone
    }
  }
  return times
}

/** While a run lasts, samples what the database's connections are doing (PostgreSQL only). */
type Sampler = () => () => Promise<string>

interface Watch {
  sampler?: Sampler
  /** the database server's processes serving Harbour (PostgreSQL only) */
  backendPids?: () => Promise<number[]>
}

async function measured<T extends { completed: number }>(server: HarbourProcess | undefined, watch: Watch, run: () => Promise<T>) {
  const cores = os.cpus().length
  const harbourCpu = async () => (server ? (await server.stats()).cpuMs : 0)
  const before = { harbour: await harbourCpu(), self: process.cpuUsage(), machine: machineCpu(), backends: processCpuMs(await watch.backendPids?.() ?? []) }
  const stopSampling = watch.sampler?.()
  const started = performance.now()
  const result = await run()
  const seconds = (performance.now() - started) / 1000
  const connections = await stopSampling?.()
  const after = { harbour: await harbourCpu(), self: process.cpuUsage(before.self), machine: machineCpu(), backends: processCpuMs(await watch.backendPids?.() ?? []) }
  const harbourMs = after.harbour - before.harbour
  const selfMs = (after.self.user + after.self.system) / 1000
  let backendMs = 0
  for (const [pid, ms] of after.backends) backendMs += ms - (before.backends.get(pid) ?? 0)
  const machineMs = (after.machine.busy - before.machine.busy) / Math.max(1, after.machine.total - before.machine.total) * cores * seconds * 1000
  const share = (ms: number) => (ms / 1000 / seconds).toFixed(2)
  const each = (ms: number) => (result.completed > 0 ? ` (${(ms / result.completed).toFixed(1)} ms an incident)` : '')
  const usage = `CPU in cores: ${server ? `Harbour ${share(harbourMs)}${each(harbourMs)}, ` : ''}` +
    (watch.backendPids ? `PostgreSQL's backends for this database ${share(backendMs)}${each(backendMs)}, ` : '') +
    `this process ${share(selfMs)}${server ? '' : each(selfMs)}, anything else on the machine ${share(Math.max(0, machineMs - harbourMs - selfMs - backendMs))}; ${share(machineMs)} of ${cores} busy`
  return { ...result, seconds, usage, connections }
}

/** A fixed number of clients, each sending its next incident as soon as the last is answered. */
async function closedLoop(sender: Sender, concurrency: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const times: number[] = []
  let failed = 0
  const end = performance.now() + seconds * 1000
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const ms = await sender.send(agent)
      if (ms === undefined) failed++
      else times.push(ms)
    }
  }))
  agent.destroy()
  return { completed: times.length, failed, times }
}

/** Requests on a fixed schedule (rate a second), each timed from when it was due to be sent. */
async function openLoop(sender: Sender, rate: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true })
  const total = Math.round(rate * seconds)
  const times: number[] = []
  let failed = 0
  let late = 0
  const inFlight: Array<Promise<void>> = []
  const start = performance.now() + 20
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0.5) await sleep(wait)
    late = Math.max(late, performance.now() - due)
    inFlight.push(sender.send(agent).then((ms) => {
      if (ms === undefined) failed++
      else times.push(performance.now() - due)
    }))
  }
  await Promise.all(inFlight)
  agent.destroy()
  return { completed: times.length, failed, times, late }
}

// ---------------------------------------------------------------------------------------------------
// The reference: the same rows by plain SQL, one transaction an incident; no HTTP, no matching, no
// notifications, no audit. The children's routes, settings and deadlines are copied from rows the API made.

interface ChildRow { route: string, setting_urn: string | null, deadline: Date | null, reason: string | null, pupil_id: string | null, match_probability: number | null }
type Query = (text: string, values?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>

async function childTemplates(query: Query): Promise<ChildRow[][]> {
  const { rows } = await query(`select c.incident_id, c.route, c.setting_urn, c.deadline, c.reason, c.pupil_id, c.match_probability
    from incident_child c join (select id from incident order by received_at desc limit 2000) i on i.id = c.incident_id order by c.incident_id, c.position`)
  const byIncident = new Map<string, ChildRow[]>()
  for (const row of rows) {
    const list = byIncident.get(row.incident_id as string) ?? []
    list.push(row as unknown as ChildRow)
    byIncident.set(row.incident_id as string, list)
  }
  return [...byIncident.values()].filter((list) => list.length === CHILDREN_PER_INCIDENT)
}

async function insertPlain(query: Query, policeId: string, body: string, children: ChildRow[]): Promise<void> {
  const hash = createHash('sha256').update(body).digest('hex')
  const report = JSON.parse(body) as { policeReference: string, occurredAt: string }
  const { rows } = await query('insert into incident (police_organisation_id, police_reference, content_hash, report, occurred_at) values ($1, $2, $3, $4, $5) returning id',
    [policeId, report.policeReference, hash, body, report.occurredAt])
  const id = rows[0]!.id as string
  await query('insert into incident_version (incident_id, version, content_hash, report) values ($1, 1, $2, $3)', [id, hash, body])
  const values: unknown[] = [id]
  const tuples = children.map((c, position) => {
    const at = values.length
    values.push(position, c.route, c.setting_urn, c.deadline, c.reason, c.pupil_id, c.match_probability)
    return `($1, $${at + 1}, 1, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7})`
  })
  await query(`insert into incident_child (incident_id, position, version, route, setting_urn, deadline, reason, pupil_id, match_probability) values ${tuples.join(', ')}`, values)
}

/** Each call: the next incident as the API would have been sent it, with a new police reference. */
function plainBodies(workload: Workload): () => string {
  const runId = randomBytes(3).toString('hex')
  const occurredAt = new Date(Date.now() - 2 * 3600_000).toISOString()
  let n = 0
  return () => {
    const i = n++
    return JSON.stringify({ policeReference: `HPF/PLAIN/${runId}/${i}`, occurredAt, ...workload.incidents[i % workload.incidents.length]! })
  }
}

// ---------------------------------------------------------------------------------------------------
// One database, from empty to figures.

interface Store extends Watch {
  env: Record<string, string>
  /** after the mail backlog is delivered, before an open-loop run: the database server writes out what the runs before left it (PostgreSQL: a checkpoint) */
  checkpoint?: () => Promise<void>
  /** reads and writes after the Harbour process has stopped (PGlite is one process at a time) */
  query: Query
  /** the plain-SQL reference: incidents inserted for PLAIN_SECONDS, by `concurrency` writers at once */
  plainConcurrencies: number[]
  plain(insert: (query: Query) => Promise<void>, concurrency: number): Promise<{ completed: number, seconds: number, concurrency: number }>
}

interface Figures { kind: Kind, best: { concurrency: number, rate: number }, openP99: number, afterFullLoadP99: number, plainRate: number, harbourPeakRss: number, sustainedRss: number }

async function benchmark(kind: Kind, workload: Workload, store: Store): Promise<Figures> {
  const key = await setUp(store.env, workload)
  const profileDir = process.env.INTAKE_CPU_PROF ? path.resolve(process.env.INTAKE_CPU_PROF) : undefined
  const server = new HarbourProcess(store.env, profileDir)
  let best = { concurrency: 0, rate: 0 }
  let openP99 = NaN
  let afterFullLoadP99 = NaN
  let harbourPeakRss = 0
  let sustainedRss = 0
  let sender: Sender | undefined
  try {
    sender = new Sender(await server.url, key, workload)
    const first = await sender.send(new http.Agent())
    if (first === undefined) throw new Error(`the first incident was refused: ${sender.firstFailures[0]}`)
    console.log(`  first incident (Harbour reads the roll and builds its index of ${count(PUPILS)} pupils): ${(first / 1000).toFixed(1)} s`)
    const warm = await closedLoop(sender, 16, WARM_UP_SECONDS)
    console.log(`  warm-up: ${count(warm.completed)} incidents in ${WARM_UP_SECONDS} s from 16 clients (not counted)`)
    const idle = await measured(server, store, async () => {
      await sleep(3000)
      return { completed: 0 }
    })
    console.log(`  3 s with nothing sent, before the runs (Harbour's mail worker may still be sending the warm-up's emails; "anything else" is other people's work on a shared machine):`)
    console.log(`      ${idle.usage}`)

    /** An open-loop run at `rate`, from a steady state: the emails the runs before queued are delivered first, and on PostgreSQL a checkpoint writes out what they changed. */
    const openRun = async (label: string, rate: number) => {
      const settled = await server.settle(SETTLE_SECONDS)
      const checkpointStarted = performance.now()
      await store.checkpoint?.()
      const checkpoint = store.checkpoint ? `, then ${((performance.now() - checkpointStarted) / 1000).toFixed(1)} s for PostgreSQL to write out the changes they left (a checkpoint, as it does by itself every few minutes)` : ''
      console.log(`  waited ${settled.waited.toFixed(1)} s for the mail worker to deliver the emails queued by the runs before${settled.left > 0 ? ` (${count(settled.left)} still queued after ${SETTLE_SECONDS} s)` : ''}${checkpoint}`)
      const run = await measured(server, store, () => openLoop(sender!, rate, OPEN_SECONDS))
      const p99 = percentile([...run.times].sort((a, b) => a - b), 0.99)
      console.log(`  ${label} ${rate}/s for ${OPEN_SECONDS} s: ${count(run.completed)} answered${run.failed ? `, ${run.failed} FAILED` : ''}; ${latencies(run.times)}; p99 under 200 ms: ${p99 < 200 ? 'met' : 'NOT met'}`)
      console.log(`      (timed from each request's scheduled time; the sender was at most ${run.late.toFixed(0)} ms behind its schedule)`)
      console.log(`      ${run.usage}`)
      if (run.connections) console.log(`      ${run.connections}`)
      return p99
    }

    openP99 = await openRun('(b) open loop at half the target,', TARGET[kind] / 2)

    console.log(`  (a) sustained: clients sending back to back, ${SECONDS} s each`)
    for (const concurrency of CONCURRENCIES) {
      const run = await measured(server, store, () => closedLoop(sender!, concurrency, SECONDS))
      const rate = run.completed / run.seconds
      console.log(`      ${String(concurrency).padStart(3)} clients: ${rate.toFixed(1).padStart(6)} incidents/s (${count(run.completed)} in ${run.seconds.toFixed(1)} s${run.failed ? `, ${run.failed} FAILED` : ''}); ${latencies(run.times)}`)
      console.log(`                   ${run.usage}`)
      if (run.connections) console.log(`                   ${run.connections}`)
      if (rate > best.rate) best = { concurrency, rate }
    }
    console.log(`      best: ${best.rate.toFixed(1)} incidents/s (${(best.rate * CHILDREN_PER_INCIDENT).toFixed(0)} children/s) from ${best.concurrency} clients; target ${TARGET[kind]}: ${best.rate >= TARGET[kind] ? 'met' : 'NOT met'}`)
    sustainedRss = (await server.stats()).maxRss
    console.log(`      peak memory of Harbour's process (RSS) so far, index of the roll included: ${mib(sustainedRss)}`)

    afterFullLoadP99 = await openRun('    the same again, after the minute at full load above (its database work not yet done: autovacuum, bigger tables),', TARGET[kind] / 2)
    if (best.rate < TARGET[kind]) await openRun('    open loop at half the rate reached,', Math.max(1, Math.floor(best.rate / 2)))
  } finally {
    const stats = await server.stop()
    harbourPeakRss = stats.maxRss
    if (stats.statements.length > 0 && sender) {
      const sent = sender.created + sender.failures
      const all = stats.statements.reduce((sum, [, e]) => sum + e.n, 0)
      console.log(`  SQL statements Harbour sent (INTAKE_TRACE), ${(all / sent).toFixed(1)} an incident in all (the mail and job workers' included), the most frequent:`)
      for (const [text, e] of stats.statements.sort((a, b) => b[1].n - a[1].n).slice(0, 30)) {
        console.log(`      ${(e.n / sent).toFixed(2).padStart(6)} an incident, ${(e.ms / e.n).toFixed(2).padStart(7)} ms each: ${text}`)
      }
    }
  }
  if (sender.failures) console.log(`  FAILED requests: ${sender.failures}; the first: ${sender.firstFailures.join(' | ')}`)
  const children = Object.values(sender.routes).reduce((a, b) => a + b, 0)
  console.log(`  where the ${count(children)} children answered were routed: ${Object.entries(sender.routes).sort().map(([route, n]) => `${route} ${(100 * n / children).toFixed(1)}%`).join(', ')}`)
  const number = async (text: string) => Number((await store.query(text)).rows[0]?.n ?? NaN)
  const stored = await number("select count(*)::int as n from incident where police_reference like 'HPF/BENCH/%'")
  const notices = await number('select count(*)::int as n from encompass_notification')
  const mails = await number('select count(*)::int as n from mail_message')
  const unsent = await number("select count(*)::int as n from mail_message where status = 'queued'")
  console.log(`  stored: ${count(stored)} incidents for ${count(sender.created)} answered 201 ${stored === sender.created ? '(they agree)' : '(THEY DIFFER)'};` +
    ` ${count(notices)} notifications and ${count(mails)} emails queued, ${count(unsent)} of the emails not yet sent when the runs ended (the mail worker's backlog)`)
  console.log(`  peak memory of Harbour's process (RSS) over all the runs: ${mib(harbourPeakRss)}${harbourPeakRss > sustainedRss * 1.2 ? ` (${mib(sustainedRss)} until the end of the full-load runs: requests it could not keep up with pile up in it)` : ''}`)

  const templates = await childTemplates(store.query)
  const policeId = (await store.query('select id from organisation where reference = $1', [POLICE_REFERENCE])).rows[0]!.id as string
  const next = plainBodies(workload)
  let i = 0
  // at its best: several numbers of writers at once (one on PGlite, which has one connection)
  let plainRate = 0
  console.log(`  (c) plain SQL, the same rows (an incident, its version, 3 incident_child; one transaction each), ${PLAIN_SECONDS} s at each number of writers:`)
  for (const concurrency of store.plainConcurrencies) {
    const reference = await measured(undefined, store, () => store.plain((query) => insertPlain(query, policeId, next(), templates[i++ % templates.length]!), concurrency))
    const rate = reference.completed / reference.seconds
    console.log(`      ${String(reference.concurrency).padStart(3)} at a time: ${rate.toFixed(0)} incidents/s; ${reference.usage}`)
    plainRate = Math.max(plainRate, rate)
  }
  console.log(`      best HTTP / best plain SQL: ${(best.rate / plainRate).toFixed(3)} (the API takes ${(plainRate / best.rate).toFixed(1)} times as long an incident)`)
  return { kind, best, openP99, afterFullLoadP99, plainRate, harbourPeakRss, sustainedRss }
}

const SAMPLE_SQL = `select
  count(*) filter (where a.state = 'idle in transaction')::int as waiting_on_harbour,
  count(*) filter (where a.state = 'active' and a.wait_event_type = 'Lock' and a.wait_event = 'advisory')::int as advisory,
  count(*) filter (where a.state = 'active' and a.wait_event_type = 'Lock' and a.wait_event <> 'advisory')::int as row_lock,
  count(*) filter (where a.state = 'active' and a.wait_event_type is distinct from 'Lock')::int as working,
  (select count(*)::int from pg_locks l join pg_database d on d.oid = l.database where d.datname = $1 and l.locktype = 'advisory' and not l.granted and l.objsubid = 2) as intake_lock,
  (select count(*)::int from pg_locks l join pg_database d on d.oid = l.database where d.datname = $1 and l.locktype = 'advisory' and not l.granted and l.objsubid = 1) as audit_lock
  from pg_stat_activity a where a.datname = $1 and a.backend_type = 'client backend' and a.pid <> pg_backend_pid()`

async function postgres(serverUrl: string, workload: Workload): Promise<Figures> {
  const name = `harbour_bench_intake_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version
  await admin.query(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  console.log(`\nPostgreSQL ${version} (${url.host}, a new database ${name}; Harbour's pool of 10 connections):`)
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 })
  pool.on('error', () => {}) // an idle connection ended by the drop at the end
  const sampler: Sampler = () => {
    const totals = { samples: 0, waiting_on_harbour: 0, advisory: 0, row_lock: 0, working: 0, intake_lock: 0, audit_lock: 0 }
    let running = true
    const loop = (async () => {
      while (running) {
        const row = (await admin.query(SAMPLE_SQL, [name])).rows[0] as Record<string, number>
        totals.samples++
        for (const k of ['waiting_on_harbour', 'advisory', 'row_lock', 'working', 'intake_lock', 'audit_lock'] as const) totals[k] += row[k] ?? 0
        await sleep(100)
      }
    })()
    return async () => {
      running = false
      await loop
      const mean = (k: keyof typeof totals) => (totals[k] / Math.max(1, totals.samples)).toFixed(1)
      return `PostgreSQL connections, mean of ${totals.samples} samples: ${mean('working')} running a statement, ${mean('waiting_on_harbour')} idle in a transaction (waiting for Harbour),` +
        ` ${mean('advisory')} waiting for an advisory lock (${mean('intake_lock')} the intake's lock, ${mean('audit_lock')} the audit chain's), ${mean('row_lock')} for another lock`
    }
  }
  try {
    return await benchmark('postgres', workload, {
      env: { DATABASE_URL: url.toString(), HARBOUR_DATA_DIR: 'memory' },
      query: async (text, values) => await pool.query(text, values),
      sampler,
      checkpoint: async () => { await admin.query('checkpoint') },
      plainConcurrencies: [4, 8, 16],
      backendPids: async () => (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name])).rows.map((r) => r.pid),
      async plain(insert, concurrency) {
        let completed = 0
        const started = performance.now()
        const end = started + PLAIN_SECONDS * 1000
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            const client = await pool.connect()
            try {
              await client.query('begin')
              await insert(async (text, values) => await client.query(text, values))
              await client.query('commit')
              completed++
            } finally {
              client.release()
            }
          }
        }))
        return { completed, seconds: (performance.now() - started) / 1000, concurrency }
      }
    })
  } finally {
    await pool.end()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

async function pglite(folder: string, workload: Workload): Promise<Figures> {
  const dataDir = path.join(folder, 'pglite')
  const version = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version
  console.log(`\nPGlite ${version} (embedded, a data folder on disk; one connection):`)
  let database: PGlite | undefined
  const open = async () => (database ??= await PGlite.create(path.join(dataDir, 'pgdata')))
  try {
    return await benchmark('pglite', workload, {
      env: { HARBOUR_DATA_DIR: dataDir },
      query: async (text, values) => await (await open()).query<Record<string, unknown>>(text, values),
      plainConcurrencies: [1],
      async plain(insert) {
        const db = await open()
        let completed = 0
        const started = performance.now()
        const end = started + PLAIN_SECONDS * 1000
        // one connection: one transaction at a time, as Harbour's own lock on it does
        while (performance.now() < end) {
          await db.transaction((tx) => insert(async (text, values) => await tx.query<Record<string, unknown>>(text, values)))
          completed++
        }
        return { completed, seconds: (performance.now() - started) / 1000, concurrency: 1 }
      }
    })
  } finally {
    await database?.close()
  }
}

async function main(): Promise<void> {
  const cpus = os.cpus()
  console.log(`Incident intake: ${CHILDREN_PER_INCIDENT} children an incident against a ${count(PUPILS)}-pupil council roll, through POST /api/v1/incidents`)
  console.log(`Machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${mib(os.totalmem())} memory, Node ${process.version}. This process sends; Harbour runs in its own; the database server, if any, on the same machine`)
  const folder = mkdtempSync(path.join(os.tmpdir(), 'harbour-intake-bench-'))
  const figures: Figures[] = []
  try {
    const started = performance.now()
    const workload = makeWorkload(folder)
    console.log(`Generated the roll, its settings and ${count(workload.incidents.length)} incidents (used in turn, each sent with a new police reference) in ${((performance.now() - started) / 1000).toFixed(1)} s;` +
      ` ${(100 * workload.onRollShare).toFixed(0)}% of the children are on the roll (${(100 * workload.variedShare).toFixed(0)}% of all recorded with some difference from it), the rest on no roll`)

    const only = process.env.INTAKE_ONLY
    const serverUrl = process.env.TEST_DATABASE_URL
    if (only !== 'pglite') {
      if (serverUrl) figures.push(await postgres(serverUrl, workload))
      else console.log('\nPostgreSQL: skipped (set TEST_DATABASE_URL to a PostgreSQL server to measure it, like postgres://postgres@127.0.0.1:5432/postgres)')
    }
    if (only !== 'postgres') figures.push(await pglite(folder, workload))
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }

  console.log(`\nSummary, incident intake on ${cpus.length} cores:`)
  for (const f of figures) {
    const name = f.kind === 'postgres' ? 'PostgreSQL' : 'PGlite    '
    console.log(`  ${name}: ${f.best.rate.toFixed(0)} incidents/s sustained (target ${TARGET[f.kind]}: ${f.best.rate >= TARGET[f.kind] ? 'met' : 'NOT met'}); ` +
      `p99 ${f.openP99.toFixed(0)} ms at ${TARGET[f.kind] / 2}/s (target under 200 ms: ${f.openP99 < 200 ? 'met' : 'NOT met'}; ${f.afterFullLoadP99.toFixed(0)} ms right after the full-load runs); ` +
      `plain SQL ${f.plainRate.toFixed(0)}/s, HTTP/plain ${(f.best.rate / f.plainRate).toFixed(3)}; Harbour's peak RSS ${mib(f.sustainedRss)} sustained, ${mib(f.harbourPeakRss)} in all`)
  }
  console.log(`  (peak RSS of this generating and sending process: ${mib(process.resourceUsage().maxRSS * 1024)})`)
}

if (process.argv[2] === '--serve') await serve()
else await main()
