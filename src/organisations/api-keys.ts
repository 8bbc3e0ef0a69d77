// Machine clients: per-organisation API keys for integrations (police records systems, school systems).
// A key is random, shown once, stored only as a hash, scoped to its organisation, revocable, and
// records when it was last used.
import { randomBytes } from 'node:crypto'
import type { Db } from '../platform/db/database.ts'
import { MACHINE_GRANTS } from '../platform/access/roles.ts'
import type { OrganisationType, Permission } from '../platform/access/roles.ts'
import { appendAudit } from '../platform/audit/audit.ts'
import type { Actor } from '../platform/audit/audit.ts'
import { sha256 } from '../platform/auth/auth-service.ts'

export interface ApiClient {
  keyId: string
  keyName: string
  organisationId: string
  organisationReference: string
  organisationName: string
  organisationType: OrganisationType
  permissions: Permission[]
}

const KEY_PATTERN = /^hbr_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/

const LAST_USED_EVERY_MS = 60_000
/**
 * How long a key checked against the database is trusted without checking again. A revocation made by
 * this instance takes effect at once; one made by another Harbour process within this time.
 */
const CHECKED_FOR_MS = 5_000
const CHECKED_KEYS_MAX = 1_000

export class ApiKeyService {
  readonly #db: Db
  /** when this instance last wrote each key's last_used_at */
  readonly #lastUsedWritten = new Map<string, number>()
  /** keys found good, by their hash, with when they were checked; never a key found bad */
  readonly #checked = new Map<string, { at: number, client: ApiClient }>()
  /** keys this instance revoked: refused at once, whatever a check still in flight found */
  readonly #revoked = new Set<string>()
  readonly #checkedForMs: number

  constructor(db: Db, options: { checkedForMs?: number } = {}) {
    this.#db = db
    this.#checkedForMs = options.checkedForMs ?? CHECKED_FOR_MS
  }

  async create(organisationId: string, name: string, actor: Actor, origin: { ip?: string, requestId?: string } = {}): Promise<{ id: string, key: string }> {
    const prefix = randomBytes(6).toString('hex')
    const key = `hbr_${prefix}_${randomBytes(32).toString('base64url')}`
    const id = await this.#db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('api_key').values({
        organisation_id: organisationId, name, prefix, key_hash: sha256(key), created_by_user_id: actor.userId ?? null
      }).returning('id').executeTakeFirstOrThrow()
      await appendAudit(trx, { actor, action: 'api-key-create', recordType: 'api-key', recordId: row.id, ...origin, details: { organisationId, name } })
      return row.id
    })
    return { id, key }
  }

  async revoke(id: string, actor: Actor, origin: { ip?: string, requestId?: string } = {}): Promise<boolean> {
    const revoked = await this.#db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('api_key').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) return false
      await appendAudit(trx, { actor, action: 'api-key-revoke', recordType: 'api-key', recordId: id, ...origin })
      return true
    })
    if (revoked) {
      this.#revoked.add(id)
      this.#forget(id)
    }
    return revoked
  }

  async authenticate(key: string): Promise<ApiClient | undefined> {
    const match = KEY_PATTERN.exec(key)
    if (!match) return undefined
    const hash = sha256(key)
    const now = Date.now()
    const checked = this.#checked.get(hash)
    if (checked && now - checked.at < this.#checkedForMs && !this.#revoked.has(checked.client.keyId)) return checked.client
    const row = await this.#db.selectFrom('api_key as k')
      .innerJoin('organisation as o', 'o.id', 'k.organisation_id')
      .select(['k.id', 'k.name', 'k.key_hash', 'k.revoked_at', 'o.id as organisation_id', 'o.reference', 'o.name as organisation_name', 'o.type'])
      .where('k.prefix', '=', match[1] ?? '').executeTakeFirst()
    if (!row || row.revoked_at || row.key_hash !== hash || this.#revoked.has(row.id)) {
      this.#checked.delete(hash)
      return undefined
    }
    // when it was last used, to the minute: written at most once a minute a key (by this instance), not on every request
    if (now - (this.#lastUsedWritten.get(row.id) ?? -Infinity) >= LAST_USED_EVERY_MS) {
      this.#lastUsedWritten.set(row.id, now)
      await this.#db.updateTable('api_key').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute()
    }
    const type = row.type as OrganisationType
    const client: ApiClient = {
      keyId: row.id, keyName: row.name, organisationId: row.organisation_id, organisationReference: row.reference,
      organisationName: row.organisation_name, organisationType: type, permissions: MACHINE_GRANTS[type]
    }
    if (this.#checked.size >= CHECKED_KEYS_MAX) this.#checked.clear()
    this.#checked.set(hash, { at: now, client })
    return client
  }

  #forget(keyId: string): void {
    for (const [hash, entry] of this.#checked) if (entry.client.keyId === keyId) this.#checked.delete(hash)
  }

  /** Keys of one organisation, or of all when organisationId is undefined (partnership scope). */
  async list(organisationId: string | undefined) {
    let query = this.#db.selectFrom('api_key as k').innerJoin('organisation as o', 'o.id', 'k.organisation_id')
      .select(['k.id', 'k.name', 'k.prefix', 'k.created_at', 'k.revoked_at', 'k.last_used_at', 'k.organisation_id', 'o.name as organisation_name', 'o.reference as organisation_reference'])
    if (organisationId) query = query.where('k.organisation_id', '=', organisationId)
    return await query.orderBy('o.name').orderBy('k.created_at', 'desc').execute()
  }

  async find(id: string) {
    return await this.#db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst()
  }
}
