/**
 * Tokenizer for the local index. Chinese and Japanese have no spaces, so Han and kana are indexed as single
 * characters plus overlapping pairs (bigrams): single characters make any query match, pairs rank passages that
 * contain the query's words (`上海`) above ones that merely share characters (`海上`). Other scripts split into
 * runs of letters and digits.
 */

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u

/**
 * Chinese function words and question phrases, treated as separators inside CJK runs: a question such as
 * `上海的人口是多少` then indexes as `上海` + `人口`, and passages that merely share `的`, `是` or `多少` stop
 * outranking the answer. Longest first, so `为什么` is removed before `什么`.
 */
export const CJK_SEPARATORS: readonly string[] = [
  '为什么', '是多少', '多少', '什么', '怎么', '怎样', '如何', '哪里', '哪些', '哪个', '是否', '请问',
  '的', '了', '是', '吗', '呢', '吧', '啊', '和', '与', '及', '或', '么',
]
/** A CJK run, or a run of other letters/digits/marks. */
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}\p{M}])+/gu

/** Splits text into index terms (NFKC-normalised, so full-width `ＡＢＣ１` equals `abc1`, and lower-cased). */
export function tokenize(text: string): string[] {
  const terms: string[] = []
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    const run = match[0]
    if (!CJK_CHAR.test(run)) {
      terms.push(run)
      continue
    }
    let pieces = [run]
    for (const separator of CJK_SEPARATORS) pieces = pieces.flatMap((piece) => piece.split(separator))
    for (const piece of pieces) {
      const chars = Array.from(piece)
      for (let i = 0; i < chars.length; i++) {
        terms.push(chars[i] as string)
        if (i + 1 < chars.length) terms.push(`${chars[i]}${chars[i + 1]}`)
      }
    }
  }
  return terms
}

/** True for a term made of CJK characters (no prefix or fuzzy matching for those). */
export function isCjkTerm(term: string): boolean {
  return CJK_CHAR.test(term)
}
