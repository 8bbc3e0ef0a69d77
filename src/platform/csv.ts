// CSV (RFC 4180): quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF or LF.
// Streaming, so a million-row file is read a chunk at a time, each row with its line number.
import { createReadStream } from 'node:fs'

export interface CsvRow { line: number, values: string[] }

export class CsvParser {
  #field = ''
  #row: string[] = []
  #quoted = false
  #afterQuote = false
  #line = 1
  #rowLine = 1
  #rows: CsvRow[] = []

  /** Feeds text; returns the rows completed by it. */
  push(text: string): CsvRow[] {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]
      if (this.#quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            this.#field += '"'
            i++
          } else {
            // closing, unless the next character (perhaps in the next chunk) is another quote
            this.#quoted = false
            this.#afterQuote = true
          }
        } else {
          if (ch === '\n') this.#line++
          this.#field += ch
        }
        continue
      }
      if (ch === '"') {
        if (this.#afterQuote) {
          // a doubled quote split across chunks
          this.#field += '"'
          this.#quoted = true
          this.#afterQuote = false
        } else if (this.#field === '') {
          this.#quoted = true
        } else {
          this.#field += ch
        }
      } else if (ch === ',') {
        this.#endField()
      } else if (ch === '\n') {
        this.#endField()
        this.#endRow()
        this.#line++
        this.#rowLine = this.#line
      } else if (ch === '\r') {
        // ignored: CRLF ends a row at the LF
      } else {
        this.#afterQuote = false
        this.#field += ch
      }
    }
    const rows = this.#rows
    this.#rows = []
    return rows
  }

  /** Ends the input; returns the last row if the file did not end with a line break. */
  end(): CsvRow[] {
    if (this.#quoted) throw new Error(`Line ${this.#rowLine}: a quoted field is not closed`)
    if (this.#field !== '' || this.#row.length > 0) {
      this.#endField()
      this.#endRow()
    }
    const rows = this.#rows
    this.#rows = []
    return rows
  }

  #endField() {
    this.#row.push(this.#field)
    this.#field = ''
    this.#afterQuote = false
  }

  #endRow() {
    const values = this.#row
    this.#row = []
    if (values.length === 1 && values[0] === '') return // a blank line
    this.#rows.push({ line: this.#rowLine, values })
  }
}

export function parseCsv(text: string): CsvRow[] {
  const parser = new CsvParser()
  return [...parser.push(text.replace(/^\uFEFF/, '')), ...parser.end()]
}

/** Reads a CSV file row by row (the header is row 1), without holding the file in memory. */
export async function* readCsvFile(path: string, encoding: BufferEncoding = 'utf8'): AsyncGenerator<CsvRow> {
  const parser = new CsvParser()
  let first = true
  for await (const chunk of createReadStream(path, { encoding, highWaterMark: 1 << 20 })) {
    let text = chunk as string
    if (first) {
      text = text.replace(/^\uFEFF/, '')
      first = false
    }
    yield* parser.push(text)
  }
  yield* parser.end()
}

export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(values: Array<string | number | null | undefined>): string {
  return `${values.map(csvField).join(',')}\n`
}
