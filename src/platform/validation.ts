// Checking JSON from an API or a form field by field: each problem is named by its path (for example
// "children[1].dateOfBirth") so the sender can put every one right at once.

export interface FieldError { field: string, message: string }

/** Collects the problems found while reading one body. */
export interface FieldReader { errors: FieldError[] }

export type JsonObject = Record<string, unknown>

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Text, trimmed; blank is absent. Longer than `max` (default 200) is a problem. */
export function readText(r: FieldReader, source: JsonObject, key: string, path: string, options: { required?: boolean, max?: number } = {}): string | undefined {
  const value = source[key]
  if (value === undefined || value === null || value === '') {
    if (options.required) r.errors.push({ field: path, message: 'is required' })
    return undefined
  }
  if (typeof value !== 'string') {
    r.errors.push({ field: path, message: 'must be text' })
    return undefined
  }
  const trimmed = value.trim()
  if (trimmed === '') {
    if (options.required) r.errors.push({ field: path, message: 'is required' })
    return undefined
  }
  const max = options.max ?? 200
  if (trimmed.length > max) r.errors.push({ field: path, message: `must be ${max} characters or fewer` })
  return trimmed
}

/** true or false; absent is a problem unless there is a fallback (or it is optional). */
export function readBoolean(r: FieldReader, source: JsonObject, key: string, path: string, options: { required?: boolean, fallback?: boolean } = {}): boolean | undefined {
  const value = source[key]
  if (value === undefined || value === null) {
    if (options.required && options.fallback === undefined) r.errors.push({ field: path, message: 'is required (true or false)' })
    return options.fallback
  }
  if (typeof value !== 'boolean') {
    r.errors.push({ field: path, message: 'must be true or false' })
    return options.fallback
  }
  return value
}
