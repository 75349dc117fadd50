import { describe, expect, it } from 'vitest'
import type { Token } from 'node-llama-cpp'
import { defaultThreads } from '../../../../src/backends/llama-cpp/device.js'
import { prepareSpanGrammar } from '../../../../src/backends/llama-cpp/grammar-span.js'
import { SlotQueue } from '../../../../src/backends/llama-cpp/slot-queue.js'
import { PartTokenizerCache } from '../../../../src/backends/llama-cpp/tokenize-parts.js'
import { rebuildTranscript } from '../../../../src/backends/llama-cpp/transcript.js'
import { TriggerWatcher } from '../../../../src/backends/llama-cpp/trigger-watcher.js'
import { MossError } from '../../../../src/errors.js'
import { fromFloat16Bits, toFloat16Bits } from '../../../../tools/gguf/encode-tensor.js'
import { encodeGgufHeader } from '../../../../tools/gguf/gguf-writer.js'

describe('TriggerWatcher', () => {
  it('fires on a trigger split across chunks, or at once when the transcript ends with it', () => {
    const w = new TriggerWatcher('<|Commands|>:', 'x')
    expect(w.push('<|Comm')).toBe(false)
    expect(w.push('ands|>:')).toBe(true)
    expect(new TriggerWatcher('<|Commands|>:', 'abc <|Commands|>:').triggered).toBe(true)
  })
})

describe('prepareSpanGrammar', () => {
  it('cuts an end-of-generation marker from the literals that close the grammar', () => {
    const g = 'root ::= " " ("None" | "Calculate(\\"" [0-9]+ "\\")") "<eoc>"'
    expect(prepareSpanGrammar(g, ['<eoc>'])).toEqual({ gbnf: 'root ::= " " ("None" | "Calculate(\\"" [0-9]+ "\\")") ""', closingMarker: '<eoc>' })
    expect(prepareSpanGrammar('root ::= "x<eoc>"', ['<eoc>']).gbnf).toBe('root ::= "x"')
    expect(prepareSpanGrammar(g, [])).toEqual({ gbnf: g })
  })
})

describe('SlotQueue', () => {
  it('serves waiters in order, times out with a typed error and honours abort', async () => {
    const q = new SlotQueue(1)
    const release = await q.acquire()
    const order: string[] = []
    const a = q.acquire({ timeoutMs: 5_000 }).then((r) => (order.push('a'), r))
    const b = q.acquire({ timeoutMs: 5_000 }).then((r) => (order.push('b'), r))
    const late = await q.acquire({ timeoutMs: 10 }).catch((e: unknown) => e)
    expect(MossError.isInstance(late) && late.code).toBe('MOSS_ERR_BACKEND_TIMEOUT')
    const controller = new AbortController()
    const aborted = q.acquire({ signal: controller.signal }).catch((e: unknown) => e)
    controller.abort()
    expect(MossError.isInstance(await aborted) && (await aborted as MossError).code).toBe('MOSS_ERR_ABORTED')
    release()
    release() // idempotent
    ;(await a)()
    ;(await b)()
    expect(order).toEqual(['a', 'b'])
    expect(q.inUse).toBe(0)
  })
})

describe('PartTokenizerCache', () => {
  // A fake SentencePiece-like tokenizer: one token per character, a space-prefix token (99) at the start of a chunk.
  const fake = {
    tokenize(text: string, special = false, options?: 'trimLeadingSpace'): Token[] {
      const out: number[] = options === 'trimLeadingSpace' ? [] : [99]
      let rest = text
      while (rest.length > 0) {
        if (special && rest.startsWith('<eoc>')) {
          out.push(5)
          rest = rest.slice(5)
        } else {
          out.push(rest.codePointAt(0) ?? 0)
          rest = rest.slice(String.fromCodePoint(rest.codePointAt(0) ?? 0).length)
        }
      }
      return out as Token[]
    },
  }
  it('drops the invented leading space and keeps special tokens for trusted parts only', () => {
    const t = new PartTokenizerCache(fake)
    expect(t.tokenize({ text: 'a<eoc>', trusted: true })).toEqual([97, 5])
    expect(t.tokenize({ text: 'a<eoc>', trusted: false })).toHaveLength(6)
    expect(t.tokenize({ text: '你', trusted: false })).toEqual([0x4f60])
  })
})

describe('PartTokenizerCache and user-defined added tokens', () => {
  // Like llama.cpp: `<think>` (id 7) is a user-defined token, matched even with special tokens off.
  const model = {
    tokenize(text: string, _special = false, options?: 'trimLeadingSpace'): Token[] {
      const out: number[] = options === 'trimLeadingSpace' ? [] : [99]
      for (let rest = text; rest.length > 0; ) {
        if (rest.startsWith('<think>')) {
          out.push(7)
          rest = rest.slice(7)
        } else {
          out.push(rest.codePointAt(0) ?? 0)
          rest = rest.slice(1)
        }
      }
      return out as Token[]
    },
    getTokenAttributes: (token: Token) => ({ control: false, userDefined: token === 7 }),
    detokenize: (tokens: readonly Token[]) => tokens.map((t) => (t === 7 ? '<think>' : String.fromCodePoint(t))).join(''),
  }

  it('never lets untrusted text produce one; trusted text keeps it', () => {
    const t = new PartTokenizerCache(model)
    const untrusted = t.tokenize({ text: 'a<think>b<think>', trusted: false })
    expect(untrusted).not.toContain(7)
    expect(model.detokenize(untrusted)).toBe('a<think>b<think>')
    expect(t.tokenize({ text: 'a<think>', trusted: true })).toEqual([97, 7])
    expect(t.count([{ text: '<think>', trusted: false }])).toBe(7)
  })
})

describe('rebuildTranscript', () => {
  it('reuses the tokens of unchanged leading parts and re-tokenizes from the first change', () => {
    const tokens = [1, 10, 11, 20, 21, 22] as Token[]
    const segments = [
      { text: 'ab', trusted: true, start: 1, end: 3 },
      { text: 'generated', trusted: true, start: 3, end: 6 },
    ]
    const tokenize = (): Token[] => [7, 7] as Token[]
    const kept = rebuildTranscript([1 as Token], tokens, segments, [{ text: 'ab', trusted: true }, { text: 'generated', trusted: true }, { text: 'new', trusted: false }], tokenize)
    expect(kept.tokens).toEqual([1, 10, 11, 20, 21, 22, 7, 7])
    const changed = rebuildTranscript([1 as Token], tokens, segments, [{ text: 'ab', trusted: false }], tokenize)
    expect(changed.tokens).toEqual([1, 7, 7])
  })
})

describe('GGUF encoding', () => {
  it('rounds float16 like IEEE and writes the GGUF magic and version', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00)
    expect(toFloat16Bits(-2)).toBe(0xc000)
    expect(fromFloat16Bits(toFloat16Bits(0.1))).toBeCloseTo(0.1, 3)
    expect(toFloat16Bits(1e6)).toBe(0x7c00)
    const header = encodeGgufHeader({ metadata: { 'general.name': { type: 'string', value: 'x' } }, tensors: [] })
    expect(new TextDecoder().decode(header.subarray(0, 4))).toBe('GGUF')
    expect(new DataView(header.buffer, header.byteOffset).getUint32(4, true)).toBe(3)
    expect(header.length % 32).toBe(0)
  })
  it('picks at least one and at most four threads', () => {
    expect(defaultThreads(1)).toBe(1)
    expect(defaultThreads(2)).toBe(1)
    expect(defaultThreads(16)).toBe(4)
  })
})
