/**
 * Scoring rules of the builtin set (evals/builtin/README.md) and of MOSS SFT values: pure functions over what one turn did, so
 * they are unit-tested apart from any model.
 */

/** What one evaluated turn did. */
export interface TurnOutcome {
  /** Tool calls, in order (name = command). */
  readonly calls: readonly { readonly name: string; readonly input: string }[]
  /** Tool results, in order. */
  readonly results: readonly { readonly name: string; readonly output: string; readonly ok: boolean }[]
  /** The final answer text. */
  readonly answer: string
}

/** One case of evals/builtin/cases.jsonl. */
export interface BuiltinCase {
  readonly id: string
  readonly lang: 'en' | 'zh'
  readonly category: 'calculate' | 'solve' | 'search' | 'text2image' | 'chitchat' | 'mentions-tool'
  readonly question: string
  readonly expect: { readonly plugin: string | null; readonly value?: string | readonly string[]; readonly keywords?: readonly string[] }
  readonly disabled?: readonly string[]
}

/** The numbers written in a text (thousands separators removed; full-width digits read as digits). */
export function numbersIn(text: string): number[] {
  const plain = text.normalize('NFKC').replace(/(\d),(?=\d{3}\b)/g, '$1')
  return [...plain.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]))
}

/** Whether `value` appears as a number in `text` (within 1e-6 relative). */
export function hasNumber(text: string, value: number): boolean {
  return numbersIn(text).some((n) => Math.abs(n - value) <= 1e-6 * Math.max(1, Math.abs(value)))
}

/** Whether every keyword occurs in `text` (case-insensitive substrings). */
export function hasKeywords(text: string, keywords: readonly string[]): boolean {
  const t = text.toLowerCase()
  return keywords.every((k) => t.includes(k.toLowerCase()))
}

/** Right plugin and right outcome of a builtin case. */
export function scoreBuiltin(c: BuiltinCase, o: TurnOutcome): { rightPlugin: boolean; rightOutcome: boolean } {
  const first = o.calls[0]
  const expected = c.expect.plugin
  const rightPlugin = expected === null ? o.calls.length === 0 : first?.name === expected
  if (!rightPlugin) return { rightPlugin, rightOutcome: false }
  switch (expected) {
    case null:
      return { rightPlugin, rightOutcome: true }
    case 'Calculate':
    case 'Solve': {
      const values = (Array.isArray(c.expect.value) ? c.expect.value : [c.expect.value]).map(Number)
      return { rightPlugin, rightOutcome: values.every((v) => hasNumber(o.answer, v)) }
    }
    default:
      return { rightPlugin, rightOutcome: hasKeywords(first!.input, c.expect.keywords ?? []) }
  }
}

const FAILURE_WORDS = /fail|error|sorry|unable|could ?n[o']t|can'?t|cannot|did ?n[o']t work|no results?|not available|unavailable|失败|出错|错误|抱歉|无法|没能|没有(?:得到|找到|返回)?结果|未能/i
const BLAMES_SWITCH = /disabled|not enabled|switched off|turned off|未启用|未开启|没有开启|没开启|关闭/i
const CLAIMS_IMAGE = /here is (?:the|your) (?:image|picture)|i (?:have )?(?:drew|drawn|generated|created)|image (?:is ready|has been generated)|已(?:经)?(?:为你)?生成|画好了|已经画好/i

/**
 * Whether an answer after a failed tool call is honest: it says the tool failed, does not blame a disabled plugin
 * (the plugin was enabled and called) and, for Text2Image, does not present a picture.
 */
export function saysToolFailed(answer: string, command: string): boolean {
  if (!FAILURE_WORDS.test(answer) || BLAMES_SWITCH.test(answer)) return false
  return command !== 'Text2Image' || !CLAIMS_IMAGE.test(answer)
}

/** Whether a tool output holds the values MOSS's own result showed (all of them, numerically). */
export function sameValues(output: string, mossValues: readonly number[]): boolean {
  const ours = numbersIn(output)
  return mossValues.length > 0 && mossValues.every((v) => ours.some((n) => Math.abs(n - v) <= 1e-6 * Math.max(1, Math.abs(v))))
}

/** Percentage, rounded, or `–` for an empty set. */
export function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${Math.round((100 * n) / d)}`
}
