/** Numbers written in words, English and Chinese, as people type them in questions. */

const EN_ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']

/** 0–999 999 in English words: `365` → `three hundred and sixty-five` (`and` optional, as in US usage). */
export function englishNumber(n: number, withAnd = true): string {
  if (!Number.isInteger(n) || n < 0 || n > 999_999) throw new RangeError(`englishNumber: ${n}`)
  if (n < 20) return EN_ONES[n] as string
  if (n < 100) return EN_TENS[Math.floor(n / 10)]! + (n % 10 ? `-${EN_ONES[n % 10]}` : '')
  if (n < 1000) {
    const rest = n % 100
    return `${EN_ONES[Math.floor(n / 100)]} hundred${rest ? `${withAnd ? ' and' : ''} ${englishNumber(rest)}` : ''}`
  }
  const rest = n % 1000
  const sep = rest === 0 ? '' : rest < 100 ? (withAnd ? ' and ' : ' ') : ' '
  return `${englishNumber(Math.floor(n / 1000), withAnd)} thousand${rest ? sep + englishNumber(rest, withAnd) : ''}`
}

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九']

/** 0–99 999 999 in Chinese numerals: `365` → `三百六十五`, `12` → `十二`, `105` → `一百零五`, `2000` → `两千`. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99_999_999) throw new RangeError(`chineseNumber: ${n}`)
  if (n === 0) return '零'
  if (n >= 10_000) {
    const high = Math.floor(n / 10_000)
    const low = n % 10_000
    return `${chineseNumber(high)}万${low === 0 ? '' : (low < 1000 ? '零' : '') + below10k(low, false)}`
  }
  return below10k(n, true)
}

function below10k(n: number, leading: boolean): string {
  const units = ['千', '百', '十', '']
  const digits = [Math.floor(n / 1000), Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10]
  let out = ''
  let zero = false
  let started = false
  for (let i = 0; i < 4; i++) {
    const d = digits[i] as number
    if (d === 0) {
      if (started) zero = true
      continue
    }
    if (zero) out += '零'
    zero = false
    // `十二`, not `一十二`, at the start of a number; `两千`/`两百` as people say them.
    if (d === 1 && i === 2 && !started && leading) out += '十'
    else if (d === 2 && (i === 0 || i === 1) && !started) out += `两${units[i]}`
    else out += ZH_DIGITS[d]! + units[i]!
    started = true
  }
  return out
}

/** Full-width form of ASCII digits, operators and brackets (`３×４`, `（1＋2）`): what a Chinese IME types. */
export function fullWidth(text: string): string {
  return Array.from(text)
    .map((c) => (c >= '!' && c <= '~' && c !== ' ' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
    .join('')
}
