// Every advisory lock Harbour takes, named in one place so that no two share a number by mistake (a
// transaction-level lock: held to the end of the transaction that takes it).
export const LOCKS = {
  /** the audit trail's hash chain: one entry appended at a time */
  auditChain: 748_301,
  /** database migrations: one process migrates at a time */
  migration: 748_302,
  /** with a second key, the hash of a force and its police reference: one writer an incident at a time */
  incidentReference: 748_303,
  /** pupil roll imports, one at a time */
  rollImport: 748_304,
  /** GIAS imports, one at a time */
  giasImport: 748_305,
  /** MARAC cases: allocation to meetings and transfers between them */
  maracCases: 748_310,
  /** risk checklist thresholds */
  riskThresholds: 748_340
} as const
