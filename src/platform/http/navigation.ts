// The service navigation each person sees, from what their roles allow.
import type { CurrentUser } from '../auth/auth-service.ts'
import type { Permission } from '../access/roles.ts'

interface NavItem { href: string, text: string, needs?: Permission, outboxOnly?: boolean }

const ITEMS: NavItem[] = [
  { href: '/', text: 'Home' },
  { href: '/admin/users', text: 'People', needs: 'user:manage' },
  { href: '/admin/api-keys', text: 'API keys', needs: 'api-key:manage' },
  { href: '/incidents', text: 'Incidents', needs: 'child-record:create' },
  { href: '/notifications', text: 'Notifications', needs: 'encompass-notification:view' },
  { href: '/encompass', text: 'Operation Encompass', needs: 'encompass-dashboard:view' },
  { href: '/encompass/settings', text: 'Encompass settings', needs: 'encompass-setting:manage' },
  { href: '/risk-assessments', text: 'Risk assessments', needs: 'risk-assessment:create' },
  { href: '/review', text: 'Children to review', needs: 'match-review:change' },
  { href: '/marac/queue', text: 'MARAC queue', needs: 'marac-case:manage' },
  { href: '/marac/referrals/new', text: 'Refer to MARAC', needs: 'marac-case:create' },
  { href: '/marac/returns', text: 'MARAC return', needs: 'marac-return:view' },
  { href: '/marac/coordinator/meetings', text: 'MARAC meetings', needs: 'marac-meeting:manage' },
  { href: '/marac/meetings', text: 'MARAC meetings', needs: 'marac-meeting:view' },
  { href: '/rolls', text: 'Pupil rolls', needs: 'pupil-roll:manage' },
  { href: '/directory', text: "Children's support" },
  { href: '/provision-gaps', text: 'Gaps in provision', needs: 'provision-gap:view' },
  { href: '/admin/directory', text: 'Directory entries', needs: 'directory:manage' },
  { href: '/audit', text: 'Audit trail', needs: 'audit-trail:search' },
  { href: '/dev/outbox', text: 'Mail outbox', needs: 'mail-outbox:view', outboxOnly: true }
]

export function navigationFor(user: CurrentUser, currentUrl: string, mailChannel: 'smtp' | 'outbox') {
  const path = currentUrl.split('?')[0] ?? '/'
  const items = ITEMS.filter((item) => (!item.needs || user.grants.has(item.needs)) && (!item.outboxOnly || mailChannel === 'outbox'))
  // the item for the page is the one whose address is the longest start of it (/encompass/settings, not /encompass)
  const under = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`))
  const current = items.filter((item) => under(item.href)).sort((a, b) => b.href.length - a.href.length)[0]
  return items.map((item) => ({ href: item.href, text: item.text, active: item === current }))
}
