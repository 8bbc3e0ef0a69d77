// String similarity for names: Jaro-Winkler, Damerau-Levenshtein distance, and a phonetic key.

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1
  const la = a.length
  const lb = b.length
  if (la === 0 || lb === 0) return 0
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1)
  const matchedB = new Uint8Array(lb)
  const matchedA = new Uint8Array(la)
  let matches = 0
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window)
    const to = Math.min(lb - 1, i + window)
    for (let j = from; j <= to; j++) {
      if (!matchedB[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        matchedA[i] = 1
        matchedB[j] = 1
        matches++
        break
      }
    }
  }
  if (matches === 0) return 0
  let transpositions = 0
  let k = 0
  for (let i = 0; i < la; i++) {
    if (!matchedA[i]) continue
    while (!matchedB[k]) k++
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++
    k++
  }
  const jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3
  let prefix = 0
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++
  return jaro + prefix * 0.1 * (1 - jaro)
}

/** Optimal string alignment distance (edits, with adjacent transpositions counted once), capped at max+1. */
export function editDistance(a: string, b: string, max = 3): number {
  if (a === b) return 0
  if (Math.abs(a.length - b.length) > max) return max + 1
  const lb = b.length
  let previous2 = new Array<number>(lb + 1).fill(0)
  let previous = Array.from({ length: lb + 1 }, (_, j) => j)
  let current = new Array<number>(lb + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMin = i
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, (previous2[j - 2] ?? 0) + 1)
      }
      current[j] = value
      if (value < rowMin) rowMin = value
    }
    if (rowMin > max) return max + 1
    ;[previous2, previous, current] = [previous, current, previous2]
  }
  return Math.min(previous[lb] ?? max + 1, max + 1)
}

const SOUNDEX_CODES: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3', l: '4', m: '5', n: '5', r: '6'
}

/**
 * A phonetic key: Soundex over a lightly rewritten name (ph→f, ck→k, kh→k, gh→g, silent leading k/w),
 * so that Stephen/Steven, Mohammed/Muhamed and Catherine/Kathryn share a key.
 */
export function phonetic(name: string): string {
  let s = name.replace(/[^a-z]/g, '')
  if (s.length === 0) return ''
  s = s.replace(/^kn/, 'n').replace(/^wr/, 'r').replace(/ph/g, 'f').replace(/ck/g, 'k').replace(/kh/g, 'k').replace(/gh/g, 'g').replace(/^c/, 'k').replace(/^mo/, 'mu').replace(/^y/, 'i').replace(/^j/, 'j')
  const first = s[0] ?? ''
  let key = first === 'e' || first === 'i' ? 'a' : first
  let last = SOUNDEX_CODES[first] ?? ''
  for (let i = 1; i < s.length && key.length < 4; i++) {
    const ch = s[i] ?? ''
    const code = SOUNDEX_CODES[ch]
    if (code) {
      if (code !== last) key += code
      last = code
    } else if (ch !== 'h' && ch !== 'w') {
      last = ''
    }
  }
  return key.padEnd(4, '0')
}
