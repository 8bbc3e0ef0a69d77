// Wires Harbour's services by plain constructor injection: data access, then services that use it.
import type { Config } from './config.ts'
import type { Database } from './db/database.ts'
import { Jobs } from './jobs/jobs.ts'
import { Mail, MAIL_QUEUE } from './mail/mail.ts'
import { AuthService } from './auth/auth-service.ts'
import { ApiKeyService } from '../organisations/api-keys.ts'
import { OrganisationService } from '../organisations/organisations.ts'
import { ASSET_ROOTS } from './http/assets.ts'
import { RollMatcher } from '../rolls/roll-matcher.ts'
import { IncidentIntake } from '../encompass/intake.ts'
import { HomeEducationRegister } from '../encompass/home-education.ts'
import { RollImportService } from '../rolls/roll-import.ts'
import { EncompassNotifications, ESCALATION_QUEUE } from '../encompass/notifications.ts'

export function createServices(config: Config, database: Database) {
  const db = database.db
  const jobs = new Jobs(database, config.jobPollingSeconds, [MAIL_QUEUE, ESCALATION_QUEUE])
  const mail = new Mail(config, db, jobs)
  const auth = new AuthService(config, db)
  const apiKeys = new ApiKeyService(db)
  const organisations = new OrganisationService(db, auth, mail, config.publicUrl)
  const rollMatcher = new RollMatcher(db)
  const notifications = new EncompassNotifications(db, jobs, mail, {
    contentPolicy: config.encompassContentPolicy, escalationMinutes: config.encompassEscalationMinutes,
    councilEscalationMinutes: config.encompassCouncilEscalationMinutes, publicUrl: config.publicUrl
  })
  // incidents written together under load: a few transactions at once on a server, one on the embedded database (one connection)
  const homeEducation = new HomeEducationRegister(db)
  const incidents = new IncidentIntake(db, rollMatcher, homeEducation, notifications, { earlyYears: config.encompassEarlyYears, deadlineRule: config.encompassDeadlineRule },
    { writers: database.kind === 'postgres' ? 3 : 1, batch: 32 })
  const rollImports = new RollImportService(db, rollMatcher)
  return { config, database, db, jobs, mail, auth, apiKeys, organisations, rollMatcher, notifications, homeEducation, incidents, rollImports, assetRoots: ASSET_ROOTS }
}

export type Services = ReturnType<typeof createServices>
