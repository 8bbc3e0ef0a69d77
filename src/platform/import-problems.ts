// What an import refused, the same way for every file Harbour imports (GIAS, rolls, the home education
// register): each problem named by its line and field, the first MAX_PROBLEMS listed, all of them counted.
// An import with any problem stores nothing.

export const MAX_PROBLEMS = 200

export class ImportProblems {
  readonly list: string[] = []
  count = 0

  /** "line N: field — problem", or "file: line N: field — problem" when an import reads several files */
  add(line: number, field: string, problem: string, file?: string): void {
    this.count++
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${file ? `${file}: ` : ''}line ${line}: ${field} — ${problem}`)
  }
}

/** An import refused: nothing was stored. */
export interface ImportRefusal {
  ok: false
  fileName: string
  /** the first MAX_PROBLEMS problems */
  problems: string[]
  /** every problem found, including those not listed */
  problemCount: number
}

/** A value quoted in a problem, cut short if long. */
export const quoted = (value: string): string => `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
