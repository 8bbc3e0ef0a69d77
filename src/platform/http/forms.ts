// Reading submitted forms and collecting errors for the GOV.UK error summary and inline messages.

export type FormBody = Record<string, string | string[] | undefined>

export function text(body: unknown, name: string): string {
  const value = (body as FormBody | undefined)?.[name]
  return (Array.isArray(value) ? value[0] ?? '' : value ?? '').trim()
}

export function list(body: unknown, name: string): string[] {
  const value = (body as FormBody | undefined)?.[name]
  if (value === undefined || value === '') return []
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== '')
}

export class FormErrors {
  readonly byField: Record<string, string> = {}

  add(field: string, message: string): this {
    this.byField[field] ??= message
    return this
  }

  get any(): boolean { return Object.keys(this.byField).length > 0 }

  /** For govukErrorSummary: each message links to its field. */
  get summary(): Array<{ text: string, href: string }> {
    return Object.entries(this.byField).map(([field, message]) => ({ text: message, href: `#${field}` }))
  }
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function pageNumber(query: unknown): number {
  const raw = Number((query as Record<string, string> | undefined)?.page ?? '1')
  return Number.isInteger(raw) && raw > 0 && raw < 100_000 ? raw : 1
}

/** govukPagination items for a list of `total` things shown `pageSize` at a time. */
export function pagination(path: string, query: Record<string, string | undefined>, page: number, pageSize: number, total: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const href = (n: number) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) if (value) params.set(key, value)
    params.set('page', String(n))
    return `${path}?${params.toString()}`
  }
  if (pages <= 1) return undefined
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    items: Array.from({ length: pages }, (_, i) => i + 1)
      .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2)
      .map((n) => ({ number: n, href: href(n), current: n === page }))
  }
}

/** A route schema for a `:id` that must be a UUID (anything else is a 400, never a database error). */
export const uuidParams = { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } } as const
