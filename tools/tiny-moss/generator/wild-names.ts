/**
 * Names made of any letters or any ideographs, for the copying skills (search queries, echo drills, facts read
 * from snippets). The generator's other names are built from a few syllables and characters, all of them pieces the
 * vocabulary learned from the generator itself; a model trained only on those never practises copying what users
 * type, where `Kenya` is `▁K|en|y|a` and `肯尼亚` is nine byte tokens. Here the pieces are whatever the tokenizer makes
 * of random letters and of random CJK ideographs (mostly byte tokens), so copying them token by token is all the
 * model can do. No name is taken from any evaluation set: they are random.
 */
import type { Rng } from './rng.js'

const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'u', 'y', 'ai', 'ou', 'ee']
const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'q', 'r', 's', 't', 'v', 'w', 'x', 'z',
  'br', 'ch', 'cl', 'dr', 'fl', 'gr', 'kh', 'ph', 'sh', 'sk', 'st', 'th', 'tr', 'zh']
const CODAS = ['n', 'r', 's', 'l', 'm', 'k', 't', 'x', 'ng', 'sh']

/** A pronounceable word of random letters, capitalised: `Dreko`, `Quimbal`. */
export function wildLatin(rng: Rng, syllables = rng.int(2, 3)): string {
  let word = rng.chance(0.15) ? rng.pick(VOWELS) : ''
  for (let i = 0; i < syllables; i++) word += rng.pick(ONSETS) + rng.pick(VOWELS) + (rng.chance(i === syllables - 1 ? 0.5 : 0.15) ? rng.pick(CODAS) : '')
  return word[0]!.toUpperCase() + word.slice(1)
}

/** A capitalised name of `n` syllables from a table's `syllables`, or (with probability `wild`) of random letters. */
export function inventedName(rng: Rng, syllables: readonly string[], n: number, wild = 0.4): string {
  if (rng.chance(wild)) return wildLatin(rng, n)
  const s = Array.from({ length: n }, () => rng.pick(syllables)).join('')
  return s[0]!.toUpperCase() + s.slice(1)
}

/** The CJK Unified Ideographs block, U+4E00–U+9FA5: almost all of it is outside the vocabulary. */
const HAN_FIRST = 0x4e00
const HAN_LAST = 0x9fa5

/** `n` ideographs, each from `common` or (with probability `wild`) anywhere in the CJK block. */
export function wildHan(rng: Rng, n: number, common: readonly string[], wild = 0.5): string {
  let out = ''
  for (let i = 0; i < n; i++) out += rng.chance(wild) ? String.fromCodePoint(rng.int(HAN_FIRST, HAN_LAST)) : rng.pick(common)
  return out
}
