/**
 * A re-implementation of llama.cpp's `llama` (SentencePiece-style) tokenizer, so training data is tokenized exactly
 * as node-llama-cpp tokenizes prompts at run time: control tokens are cut out first (trusted text only), then each
 * fragment has its spaces written as `▁` and adjacent symbols are merged greedily, best piece score first (ties: the
 * leftmost pair), as long as the concatenation is a vocabulary piece. Characters that are not pieces become
 * `<0xXX>` byte tokens. No space prefix is added (`tokenizer.ggml.add_space_prefix = false`).
 */

/** The vocabulary as GGUF stores it. */
export interface TokenizerVocab {
  readonly tokens: readonly string[]
  readonly scores: readonly number[]
  /** llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte. */
  readonly types: readonly number[]
}

/** The space marker of SentencePiece pieces. */
export const SPACE_MARK = '\u2581'

const CONTROL = 3
const UNKNOWN = 2
/** llama.cpp's token type of `<0xXX>` byte tokens. */
export const BYTE = 6

interface Sym {
  start: number
  len: number
  prev: number
  next: number
}

interface Bigram {
  left: number
  right: number
  score: number
  size: number
}

/** A max-heap of bigrams: higher score first, then the smaller left index (llama.cpp's comparator). */
class BigramQueue {
  private readonly items: Bigram[] = []
  get size(): number {
    return this.items.length
  }
  private better(a: Bigram, b: Bigram): boolean {
    return a.score > b.score || (a.score === b.score && a.left < b.left)
  }
  push(item: Bigram): void {
    const items = this.items
    items.push(item)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.better(items[i] as Bigram, items[parent] as Bigram)) break
      ;[items[i], items[parent]] = [items[parent] as Bigram, items[i] as Bigram]
      i = parent
    }
  }
  pop(): Bigram | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length > 0 && last !== undefined) {
      items[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let best = i
        if (l < items.length && this.better(items[l] as Bigram, items[best] as Bigram)) best = l
        if (r < items.length && this.better(items[r] as Bigram, items[best] as Bigram)) best = r
        if (best === i) break
        ;[items[i], items[best]] = [items[best] as Bigram, items[i] as Bigram]
        i = best
      }
    }
    return top
  }
}

/** Encodes and decodes text with one vocabulary. */
export class SpmTokenizer {
  private readonly ids = new Map<string, number>()
  private readonly specials: { text: string; id: number }[] = []
  private readonly byteIds: number[] = []

  constructor(readonly vocab: TokenizerVocab) {
    vocab.tokens.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i)
      const type = vocab.types[i]
      if (type === CONTROL || type === UNKNOWN) this.specials.push({ text: t, id: i })
      if (type === BYTE) this.byteIds[parseInt(t.slice(3, 5), 16)] = i
    })
    // llama.cpp partitions on longer special tokens first.
    this.specials.sort((a, b) => b.text.length - a.text.length)
  }

  /** Id of a piece, or `undefined`. */
  idOf(piece: string): number | undefined {
    return this.ids.get(piece)
  }

  /** Tokenizes `text`; with `special`, control-token texts become their tokens (trusted text). */
  encode(text: string, special: boolean): number[] {
    const out: number[] = []
    if (!special) {
      this.encodeFragment(text, out)
      return out
    }
    let rest = text
    while (rest.length > 0) {
      let at = -1
      let found: { text: string; id: number } | undefined
      for (const s of this.specials) {
        const i = rest.indexOf(s.text)
        if (i !== -1 && (at === -1 || i < at)) {
          at = i
          found = s
        }
      }
      if (!found) {
        this.encodeFragment(rest, out)
        break
      }
      if (at > 0) this.encodeFragment(rest.slice(0, at), out)
      out.push(found.id)
      rest = rest.slice(at + found.text.length)
    }
    return out
  }

  private encodeFragment(raw: string, out: number[]): void {
    if (raw.length === 0) return
    const text = raw.replaceAll(' ', SPACE_MARK)
    const chars = Array.from(text)
    const syms: Sym[] = []
    let offset = 0
    chars.forEach((c, i) => {
      syms.push({ start: offset, len: c.length, prev: i - 1, next: i + 1 < chars.length ? i + 1 : -1 })
      offset += c.length
    })
    const queue = new BigramQueue()
    const revMerge = new Map<string, [number, number]>()
    const tryAdd = (left: number, right: number): void => {
      if (left === -1 || right === -1) return
      const l = syms[left] as Sym
      const r = syms[right] as Sym
      const piece = text.slice(l.start, l.start + l.len + r.len)
      const id = this.ids.get(piece)
      if (id === undefined) return
      queue.push({ left, right, score: this.vocab.scores[id] ?? 0, size: piece.length })
      revMerge.set(piece, [left, right])
    }
    for (let i = 1; i < syms.length; i++) tryAdd(i - 1, i)
    while (queue.size > 0) {
      const bigram = queue.pop() as Bigram
      const l = syms[bigram.left] as Sym
      const r = syms[bigram.right] as Sym
      if (l.len === 0 || r.len === 0 || l.len + r.len !== bigram.size) continue
      l.len += r.len
      r.len = 0
      l.next = r.next
      if (r.next >= 0) (syms[r.next] as Sym).prev = bigram.left
      tryAdd(l.prev, bigram.left)
      tryAdd(bigram.left, l.next)
    }
    const resegment = (s: Sym): void => {
      const piece = text.slice(s.start, s.start + s.len)
      const id = this.ids.get(piece)
      if (id !== undefined) {
        out.push(id)
        return
      }
      const merge = revMerge.get(piece)
      if (merge) {
        resegment(syms[merge[0]] as Sym)
        resegment(syms[merge[1]] as Sym)
        return
      }
      for (const b of Buffer.from(piece, 'utf8')) out.push(this.byteIds[b] as number)
    }
    for (let i = 0; i !== -1; i = (syms[i] as Sym).next) resegment(syms[i] as Sym)
  }

  /** Text of a token sequence (byte tokens reassembled, `▁` back to spaces, control tokens as their text). */
  decode(ids: readonly number[]): string {
    const bytes: number[] = []
    for (const id of ids) {
      const t = this.vocab.tokens[id] ?? ''
      if (this.vocab.types[id] === BYTE) bytes.push(parseInt(t.slice(3, 5), 16))
      else bytes.push(...Buffer.from(t.replaceAll(SPACE_MARK, ' '), 'utf8'))
    }
    return Buffer.from(bytes).toString('utf8')
  }
}
