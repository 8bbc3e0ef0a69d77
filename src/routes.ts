// Every capability's routes, in one list the server registers.
import type { RouteRegistrar } from './platform/http/server.ts'
import { healthRoutes } from './platform/http/health-routes.ts'
import { authRoutes } from './platform/auth/routes.ts'
import { auditRoutes } from './platform/audit/routes.ts'
import { mailRoutes } from './platform/mail/routes.ts'
import { homeRoutes } from './platform/http/home-routes.ts'
import { organisationRoutes } from './organisations/routes.ts'
import { reviewRoutes } from './rolls/review-routes.ts'
import { encompassRoutes } from './encompass/routes.ts'
import { rollRoutes } from './rolls/routes.ts'
import { directoryRoutes } from './directory/routes.ts'

export const ROUTES: RouteRegistrar[] = [healthRoutes, authRoutes, homeRoutes, organisationRoutes, auditRoutes, mailRoutes, reviewRoutes, rollRoutes, directoryRoutes, encompassRoutes]
