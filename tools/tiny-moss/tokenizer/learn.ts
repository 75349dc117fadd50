/**
 * Learns the tiny model's vocabulary in two phases (see tools/tiny-moss/README.md):
 * 1. word-level BPE merges on dialogue text: a piece never crosses a word, a digit or a CJK character, so numbers
 *    and Chinese names tokenize the same wherever they appear (copying them into commands stays easy);
 * 2. merges learned only on the constant protocol texts (meta instruction, switch lines, markers), ranked below every
 *    phase-1 merge, so the meta instruction costs a handful of tokens while ordinary text keeps its phase-1 pieces.
 */
import { SPACE_MARK, SpmTokenizer, type TokenizerVocab } from './spm.js'

/** Options of {@link learnPieces}. */
export interface LearnOptions {
  /** Dialogue texts (parts, control tokens removed), phase 1. */
  readonly texts: Iterable<string>
  /** Constant protocol texts, phase 2. */
  readonly constants: readonly string[]
  /** Number of phase-1 merges. */
  readonly wordMerges: number
  /** Maximum number of phase-2 merges. */
  readonly constantMerges: number
  /** Characters seen fewer times than this are left to byte fallback. Defaults to `2`. */
  readonly minCharCount?: number
  /** Builds a tokenizer from pieces (in rank order); used to tokenize the constants between the phases. */
  readonly makeVocab: (pieces: readonly string[]) => TokenizerVocab
}

const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/u
const DIGIT = /\p{Nd}/u
const LETTER = /\p{L}|\p{M}/u

/** Splits text into the words phase 1 may merge inside; `▁` attaches to the letters that follow it. */
export function preTokenize(text: string): string[] {
  const words: string[] = []
  const chars = Array.from(text.replaceAll(' ', SPACE_MARK))
  let i = 0
  const isLetter = (c: string | undefined): boolean => c !== undefined && LETTER.test(c) && !CJK.test(c)
  const isPunct = (c: string | undefined): boolean =>
    c !== undefined && !isLetter(c) && !DIGIT.test(c) && !CJK.test(c) && c !== SPACE_MARK && !/\s/u.test(c)
  while (i < chars.length) {
    const c = chars[i] as string
    if (c === SPACE_MARK && isLetter(chars[i + 1])) {
      let j = i + 1
      while (isLetter(chars[j])) j++
      words.push(chars.slice(i, j).join(''))
      i = j
    } else if (isLetter(c)) {
      let j = i
      while (isLetter(chars[j])) j++
      words.push(chars.slice(i, j).join(''))
      i = j
    } else if (c === SPACE_MARK) {
      let j = i
      while (chars[j] === SPACE_MARK && !isLetter(chars[j + 1])) j++
      if (j === i) j = i + 1
      words.push(chars.slice(i, j).join(''))
      i = j
    } else if (isPunct(c)) {
      let j = i
      while (isPunct(chars[j]) && j - i < 4) j++
      words.push(chars.slice(i, j).join(''))
      i = j
    } else {
      words.push(c)
      i++
    }
  }
  return words
}

type Seq = string[]

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`
}

/** Greedy BPE over weighted symbol sequences; returns the merged pieces in order. */
function bpe(
  seqs: { syms: Seq; count: number }[],
  merges: number,
  allowed: (a: string, b: string) => boolean,
  maxChars: number,
): string[] {
  const pieces: string[] = []
  const counts = new Map<string, number>()
  const where = new Map<string, Set<number>>()
  const add = (idx: number, syms: Seq, sign: number, count: number): void => {
    for (let k = 0; k + 1 < syms.length; k++) {
      const a = syms[k] as string
      const b = syms[k + 1] as string
      if (!allowed(a, b) || Array.from(a + b).length > maxChars) continue
      const key = pairKey(a, b)
      counts.set(key, (counts.get(key) ?? 0) + sign * count)
      if (sign > 0) {
        let set = where.get(key)
        if (!set) where.set(key, (set = new Set()))
        set.add(idx)
      }
    }
  }
  seqs.forEach((s, idx) => add(idx, s.syms, 1, s.count))
  for (let m = 0; m < merges; m++) {
    let best: string | undefined
    let bestCount = 0
    for (const [key, c] of counts) {
      if (c > bestCount || (c === bestCount && best !== undefined && key < best)) {
        best = key
        bestCount = c
      }
    }
    if (best === undefined || bestCount < 1) break
    const [a, b] = best.split('\u0000') as [string, string]
    const merged = a + b
    pieces.push(merged)
    for (const idx of where.get(best) ?? []) {
      const s = seqs[idx] as { syms: Seq; count: number }
      if (!s.syms.includes(a)) continue
      add(idx, s.syms, -1, s.count)
      const next: Seq = []
      for (let k = 0; k < s.syms.length; k++) {
        if (s.syms[k] === a && s.syms[k + 1] === b) {
          next.push(merged)
          k++
        } else next.push(s.syms[k] as string)
      }
      s.syms = next
      add(idx, s.syms, 1, s.count)
    }
    counts.delete(best)
    where.delete(best)
  }
  return pieces
}

/** Learns the normal pieces, in rank order: characters, phase-1 merges, phase-2 merges. */
export function learnPieces(options: LearnOptions): { pieces: string[]; characters: number; wordMerges: number; constantMerges: number } {
  const wordCounts = new Map<string, number>()
  const charCounts = new Map<string, number>()
  for (const text of options.texts) {
    for (const w of preTokenize(text)) {
      wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1)
      for (const c of w) charCounts.set(c, (charCounts.get(c) ?? 0) + 1)
    }
  }
  for (const text of options.constants) for (const c of text.replaceAll(' ', SPACE_MARK)) charCounts.set(c, (charCounts.get(c) ?? 1e9) + 0)
  const minChar = options.minCharCount ?? 2
  // Printable ASCII is always present, so English never falls back to bytes.
  const chars = new Set<string>([SPACE_MARK])
  for (let c = 0x21; c < 0x7f; c++) chars.add(String.fromCharCode(c))
  for (const [c, n] of [...charCounts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))) {
    if (n >= minChar && c !== ' ') chars.add(c)
  }
  const mergeable = (s: string): boolean => !DIGIT.test(s) && !CJK.test(s) && !s.includes('\n')
  const words = [...wordCounts]
    .filter(([w, n]) => n >= 2 && Array.from(w).length > 1 && mergeable(w))
    .map(([w, count]) => ({ syms: Array.from(w), count }))
  const phase1 = bpe(words, options.wordMerges, () => true, 24)
  const phase1Pieces = [...chars, ...phase1]
  const tokenizer = new SpmTokenizer(options.makeVocab(phase1Pieces))
  const constSeqs = options.constants.map((text) => ({
    syms: tokenizer.encode(text, true).map((id) => tokenizer.vocab.tokens[id] as string),
    count: 1,
  }))
  const allowed = (a: string, b: string): boolean => {
    const joined = a + b
    if (CJK.test(joined) || joined.startsWith('<0x') || a.startsWith('<0x') || b.startsWith('<0x')) return false
    if (/^<eo[htcrm]>$/.test(a) || /^<eo[htcrm]>$/.test(b)) return false
    // Digits only inside markers such as `<|1|>` or names such as `Text2Image`.
    if (DIGIT.test(joined) && !/[A-Za-z|]/.test(joined)) return false
    return true
  }
  const phase2 = bpe(constSeqs, options.constantMerges, allowed, 48)
  return { pieces: [...phase1Pieces, ...phase2], characters: chars.size, wordMerges: phase1.length, constantMerges: phase2.length }
}
