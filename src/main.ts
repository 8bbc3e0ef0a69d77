// npm start: Harbour on its embedded database (or DATABASE_URL), with demo data outside production.
import { loadConfig, ConfigError } from './platform/config.ts'
import { startHarbour } from './platform/app.ts'
import { DEMO_PASSWORD, DEMO_USERS } from './organisations/demo.ts'
import { DatabaseInUseError } from './platform/db/database.ts'

try {
  const config = loadConfig()
  const harbour = await startHarbour(config)
  // performance.now() counts from the process's start, so this includes loading the code
  const seconds = (performance.now() / 1000).toFixed(1)
  const where = harbour.url.replace('127.0.0.1', 'localhost')
  console.log(`\nHarbour is ready in ${seconds}s on ${config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`}.`)
  console.log(`Sign in at ${where}/sign-in`)
  if (config.loadDemoData) {
    console.log(`\nDemo sign-ins (synthetic people; password "${DEMO_PASSWORD}"; they skip the second factor because this is not production):`)
    for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(38)} ${user.role}`)
  }
  const stop = async () => {
    await harbour.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
    console.error(`Harbour did not start: ${error.message}`)
    process.exit(1)
  }
  throw error
}
