// The service navigation each person sees, from what their roles allow.
import type { CurrentUser } from '../auth/auth-service.ts'
import type { Permission } from '../access/roles.ts'

interface NavItem { href: string, text: string, needs?: Permission, outboxOnly?: boolean }

const ITEMS: NavItem[] = [
  { href: '/', text: 'Home' },
  { href: '/admin/users', text: 'People', needs: 'user:manage' },
  { href: '/admin/api-keys', text: 'API keys', needs: 'api-key:manage' },
  { href: '/review', text: 'Children to review', needs: 'match-review:change' },
  { href: '/rolls', text: 'Pupil rolls', needs: 'pupil-roll:manage' },
  { href: '/directory', text: "Children's support" },
  { href: '/provision-gaps', text: 'Gaps in provision', needs: 'provision-gap:view' },
  { href: '/admin/directory', text: 'Directory entries', needs: 'directory:manage' },
  { href: '/audit', text: 'Audit trail', needs: 'audit-trail:search' },
  { href: '/dev/outbox', text: 'Mail outbox', needs: 'mail-outbox:view', outboxOnly: true }
]

export function navigationFor(user: CurrentUser, currentUrl: string, mailChannel: 'smtp' | 'outbox') {
  const path = currentUrl.split('?')[0] ?? '/'
  return ITEMS
    .filter((item) => (!item.needs || user.grants.has(item.needs)) && (!item.outboxOnly || mailChannel === 'outbox'))
    .map((item) => ({ href: item.href, text: item.text, active: item.href === '/' ? path === '/' : path.startsWith(item.href) }))
}
