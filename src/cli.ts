// npx harbour <command>: start, migrate, keys, audit, link, generate roll, import roll, import gias, import home-education, marac return, risk thresholds.
import { stat } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { loadConfig, ConfigError } from './platform/config.ts'
import { openDatabase, DatabaseInUseError } from './platform/db/database.ts'
import type { Database } from './platform/db/database.ts'
import { migrate } from './platform/db/migrate.ts'
import { verifyAuditChain } from './platform/audit/audit.ts'
import { ApiKeyService } from './organisations/api-keys.ts'

const USAGE = `Usage: npx harbour <command>

  start                                     run Harbour (the same as npm start)
  migrate                                   apply database migrations
  keys create --org <reference> --name <label>   create an API key for an organisation; the key is the last line
  keys list [--org <reference>]             list API keys (never the keys themselves)
  keys revoke --id <key id>                 revoke an API key
  audit verify                              check the audit trail's hash chain
  import roll --file <roll.csv | ctf.xml> [--as-at YYYY-MM-DD] [--allow-shrink]
                                            import a pupil roll (CSV, one setting or many, or a Common
                                            Transfer File): replaces those settings' rolls; all or nothing
  import gias --file <establishments.csv> [--links <links.csv>] [--la <LA code>]
                                            import education settings from the DfE's GIAS download (as
                                            published, Windows-1252), optionally one local authority's; all or nothing
  import home-education --file <register.csv> [--org <council reference>]
                                            replace the council's register of children educated at home
                                            (register_ref, first_name, middle_names, last_name, date_of_birth,
                                            gender, address, postcode, registered_on); all or nothing
  generate roll --pupils <n> --urns <urn,urn,...> --out <roll.csv> [--seed <n>]
                                            write a synthetic roll (invented children) to try Harbour with
  marac return --area <code> --quarter 2026Q3 [--out return.csv]
                                            the quarterly MARAC return of an area as CSV (to the file, or printed)
  risk thresholds --instrument <id> [--medium <n>] [--high <n>]
                                            set the count of Yes answers at which a risk checklist's medium
                                            and high grades start (checked, stored and audited)
  link --roll pupils.csv --children children.csv --out matches.csv
                                            match children to pupil rolls: one row per child with
                                            child_id,pupil_id,urn,match_probability,band (auto, review, none)

The database is DATABASE_URL when set, otherwise the embedded one in HARBOUR_DATA_DIR (default ./data).
`

class UsageError extends Error {}
/** A command that was understood but cannot be done (an unknown organisation, say). */
class CommandError extends Error {}

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const database = await openDatabase(config)
  try {
    await migrate(database.db)
    return await work(database)
  } finally {
    await database.close()
  }
}

async function organisationByReference(database: Database, reference: string | undefined) {
  if (!reference) throw new UsageError('Give the organisation with --org <reference>, for example --org HPF')
  const organisation = await database.db.selectFrom('organisation').selectAll().where('reference', '=', reference).executeTakeFirst()
  if (!organisation) throw new CommandError(`There is no organisation with the reference "${reference}" (npx harbour keys list shows the references in use)`)
  return organisation
}

/** An all-or-nothing import that was refused: each problem listed (and how many more), then what to do; exit code 1. `file`: the one file at fault, if one. */
function reportRefusal(result: { problems: string[], problemCount: number }, file?: string): number {
  const count = (n: number) => n.toLocaleString('en-GB')
  for (const problem of result.problems) console.error(problem)
  const unlisted = result.problemCount - result.problems.length
  if (unlisted > 0) console.error(`... and ${count(unlisted)} more problems not listed`)
  const problems = `${count(result.problemCount)} problem${result.problemCount === 1 ? '' : 's'}`
  console.error(`Nothing was imported: ${file ? `${file} has ${problems}` : problems}. Put ${result.problemCount === 1 ? 'it' : 'them'} right and import ${file ? 'the file' : 'the files'} again.`)
  return 1
}

async function importHomeEducation(values: { file?: string | undefined, org?: string | undefined }): Promise<number> {
  if (!values.file) throw new UsageError('import home-education needs --file <register.csv>, and optionally --org <council reference>')
  const file = values.file
  if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`)
  const { importHomeEducationRegister } = await import('./encompass/home-education.ts')
  return await withDatabase(async (database) => {
    const council = values.org ? await organisationByReference(database, values.org) : undefined
    if (council && council.type !== 'local_authority') throw new CommandError(`${council.reference} is not a council (local authority): the register belongs to a council`)
    const result = await importHomeEducationRegister(database.db, { path: file, councilOrganisationId: council?.id, actor: { label: `command line (${process.env.USER ?? 'unknown user'})` } })
    if (!result.ok) return reportRefusal(result, file)
    console.log(`Imported the home education register from ${result.fileName}: ${result.children.toLocaleString('en-GB')} children (it had ${result.before.toLocaleString('en-GB')}).`)
    return 0
  })
}

async function importGias(values: { file?: string | undefined, links?: string | undefined, la?: string | undefined }): Promise<number> {
  if (!values.file) throw new UsageError('import gias needs --file <establishments.csv> (the GIAS download), and optionally --links <links.csv> --la <LA code>')
  for (const file of [values.file, values.links]) if (file !== undefined && !(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`)
  const { importGias: run } = await import('./organisations/gias.ts')
  return await withDatabase(async (database) => {
    const result = await run(database.db, {
      path: values.file!, linksPath: values.links, laCode: values.la, actor: { label: `command line (${process.env.USER ?? 'unknown user'})` }
    })
    if (!result.ok) {
      return reportRefusal(result)
    }
    const where = result.laCode ? ` in LA ${result.laCode}` : ''
    console.log(`Imported ${result.settings} education settings${where} from ${result.fileName}: ${result.created} new, ${result.updated} updated${result.skipped ? `, ${result.skipped} of other local authorities left out` : ''}.`)
    if (result.links !== undefined) console.log(`  ${result.links} links between establishments (successors and predecessors).`)
    return 0
  })
}

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv
  const args = command === 'keys' || command === 'audit' || command === 'import' || command === 'generate' || command === 'marac' || command === 'risk' ? rest : command === 'link' ? argv.slice(1) : []
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, roll: { type: 'string' }, children: { type: 'string' }, out: { type: 'string' },
      file: { type: 'string' }, 'as-at': { type: 'string' }, 'allow-shrink': { type: 'boolean' }, links: { type: 'string' }, la: { type: 'string' },
      pupils: { type: 'string' }, urns: { type: 'string' }, seed: { type: 'string' }, area: { type: 'string' }, quarter: { type: 'string' },
      instrument: { type: 'string' }, medium: { type: 'string' }, high: { type: 'string' }
    },
    strict: true
  })
  switch (command) {
    case 'start':
      await import('./main.ts')
      return -1
    case 'migrate': {
      const applied = await withDatabase((database) => migrate(database.db))
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.')
      return 0
    }
    case 'keys':
      return await withDatabase(async (database) => {
        const keys = new ApiKeyService(database.db)
        const actor = { label: `command line (${process.env.USER ?? 'unknown user'})` }
        if (sub === 'create') {
          const organisation = await organisationByReference(database, values.org)
          const name = values.name?.trim()
          if (!name) throw new UsageError('Give the key a name with --name <label>, for example --name "Police records system"')
          const created = await keys.create(organisation.id, name, { ...actor, organisationId: organisation.id })
          console.log(`Created API key "${name}" for ${organisation.name} (${organisation.reference}), id ${created.id}.`)
          console.log('It is shown only this once; Harbour keeps only a fingerprint of it. The key:')
          console.log(created.key)
          return 0
        }
        if (sub === 'list') {
          const organisation = values.org ? await organisationByReference(database, values.org) : undefined
          const rows = await keys.list(organisation?.id)
          if (rows.length === 0) console.log('No API keys.')
          for (const row of rows) {
            console.log(`${row.id}  ${row.organisation_reference.padEnd(12)} ${row.name.padEnd(30)} ${row.revoked_at ? `revoked ${row.revoked_at.toISOString()}` : 'active'}  last used ${row.last_used_at?.toISOString() ?? 'never'}`)
          }
          return 0
        }
        if (sub === 'revoke') {
          if (!values.id || !/^[0-9a-f-]{36}$/.test(values.id)) throw new UsageError('Give the key id with --id <key id> (see npx harbour keys list)')
          const done = await keys.revoke(values.id, actor)
          console.log(done ? 'Revoked.' : 'No active key has that id.')
          return done ? 0 : 1
        }
        throw new UsageError(`Unknown keys command "${sub ?? ''}"`)
      })
    case 'audit':
      if (sub !== 'verify') throw new UsageError(`Unknown audit command "${sub ?? ''}"`)
      return await withDatabase(async (database) => {
        const verdict = await verifyAuditChain(database.db)
        if (verdict.intact) {
          console.log(`The audit trail is intact: ${verdict.entries} entries, each carrying the hash of the one before.`)
          return 0
        }
        console.error(`The audit trail is BROKEN at entry ${verdict.brokenAt}: ${verdict.reason}. Entries before it (${verdict.entries - 1}) check out.`)
        return 2
      })
    case 'marac': {
      if (sub !== 'return') throw new UsageError(`Unknown marac command "${sub ?? ''}": try marac return`)
      const { maracReturnCommand } = await import('./marac/return-command.ts')
      return await withDatabase((database) => maracReturnCommand(database.db, values))
    }
    case 'risk': {
      if (sub !== 'thresholds') throw new UsageError(`Unknown risk command "${sub ?? ''}": try risk thresholds`)
      const { riskThresholdsCommand } = await import('./marac/threshold-command.ts')
      return await withDatabase((database) => riskThresholdsCommand(database.db, values))
    }
    case 'link': {
      if (!values.roll || !values.children || !values.out) throw new UsageError('link needs --roll <pupils.csv> --children <children.csv> --out <matches.csv>')
      const { linkFiles } = await import('./rolls/link-files.ts')
      const summary = await linkFiles({ rollPath: values.roll, childrenPath: values.children, outPath: values.out, progress: (message) => process.stderr.write(`${message}\n`) })
      process.stderr.write(`Wrote ${summary.children} rows to ${values.out}\n`)
      return 0
    }
    case 'generate': {
      if (sub !== 'roll') throw new UsageError(`Unknown generate command "${sub ?? ''}": try generate roll`)
      const pupils = Number(values.pupils)
      if (!Number.isInteger(pupils) || pupils < 1) throw new UsageError('generate roll needs --pupils <a whole number of at least 1>')
      if (!values.urns || !values.out) throw new UsageError('generate roll needs --urns <urn,urn,...> and --out <roll.csv>')
      const { writeSyntheticRoll } = await import('./rolls/generate-roll.ts')
      const written = await writeSyntheticRoll({ pupils, urns: values.urns.split(',').map((urn) => urn.trim()), seed: Number(values.seed ?? 1), out: values.out }).catch((error: unknown) => {
        if (error instanceof RangeError) throw new UsageError(error.message)
        throw error
      })
      console.log(`Wrote ${written.pupils.toLocaleString('en-GB')} synthetic pupils at ${written.urns.join(', ')} to ${values.out}`)
      return 0
    }
    case 'import': {
      if (sub === 'gias') return await importGias(values)
      if (sub === 'home-education') return await importHomeEducation(values)
      if (sub !== 'roll') throw new UsageError(`Unknown import command "${sub ?? ''}"`)
      if (!values.file) throw new UsageError('import roll needs --file <roll.csv or ctf.xml>')
      const file = values.file
      if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`)
      const { RollImportService } = await import('./rolls/roll-import.ts')
      return await withDatabase(async (database) => {
        const count = (n: number) => n.toLocaleString('en-GB')
        let shown = 0
        const result = await new RollImportService(database.db).importFile({
          path: file, asAt: values['as-at'], allowShrink: values['allow-shrink'] === true, actor: { label: `command line (${process.env.USER ?? 'unknown user'})` },
          onProgress: ({ phase, rows, total }) => {
            if (phase === 'validating' && total !== undefined) process.stderr.write(`checked ${count(rows)} rows, all of them\n`)
            else if (phase === 'validating') process.stderr.write(`checked ${count(rows)} rows\n`)
            else if (phase === 'writing' && (rows === total || rows - shown >= 100_000)) {
              shown = rows
              process.stderr.write(`written ${count(rows)} of ${count(total ?? rows)} rows\n`)
            } else if (phase === 'merging') process.stderr.write(`merging ${count(rows)} pupils into the settings' rolls\n`)
          }
        })
        if (!result.ok) {
          return reportRefusal(result, file)
        }
        const settings = result.urns.length === 1 ? `setting ${result.urns[0]}` : `${count(result.urns.length)} settings`
        console.log(`Imported the roll of ${settings} as at ${result.asAt} from ${result.fileName} (${result.source === 'ctf' ? 'Common Transfer File' : 'CSV'}):`)
        console.log(`  ${count(result.pupils)} pupils, ${count(result.joined)} joined, ${count(result.left)} left (in ${result.seconds.toFixed(1)} s)`)
        return 0
      })
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE)
      return 0
    default:
      throw new UsageError(`Unknown command "${command}"`)
  }
}

/** Errors that are the user's to fix: say what is wrong, without a stack trace. */
function isUserFacing(error: unknown): error is Error {
  if (!(error instanceof Error)) return false
  if (error instanceof UsageError || error instanceof CommandError || error instanceof ConfigError || error instanceof DatabaseInUseError) return true
  if (error.name === 'LinkInputError' || error.name === 'RollImportError' || error.name === 'GiasImportError' || error.name === 'MaracCommandError') return true
  const code = 'code' in error ? String(error.code) : ''
  return code === 'ENOENT' || code.startsWith('ERR_PARSE_ARGS')
}

try {
  const code = await main(process.argv.slice(2))
  if (code >= 0) process.exitCode = code
} catch (error) {
  if (!isUserFacing(error)) throw error
  console.error(`harbour: ${error.message}`)
  if (error instanceof UsageError) console.error(`\n${USAGE}`)
  process.exitCode = 1
}
