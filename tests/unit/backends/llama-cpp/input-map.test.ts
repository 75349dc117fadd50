import type { Token } from 'node-llama-cpp'
import { describe, expect, it } from 'vitest'
import { INPUT_MAP_KEY, applyInputMap, readInputMap } from '../../../../src/backends/llama-cpp/input-map.js'
import { PartTokenizerCache } from '../../../../src/backends/llama-cpp/tokenize-parts.js'
import { ModelLoadError } from '../../../../src/errors.js'

/** node-llama-cpp's nested metadata for a map given as JSON text. */
const metadataWith = (json: string): unknown => ({ general: { name: 'x' }, moss: { tokenizer: { input_map: json } } })

describe('readInputMap', () => {
  it('is undefined for a model that declares none', () => {
    expect(readInputMap({ general: { name: 'qwen3' }, tokenizer: { ggml: { model: 'gpt2' } } }, 'q.gguf')).toBeUndefined()
    expect(readInputMap(undefined, 'q.gguf')).toBeUndefined()
  })

  it('reads one-character keys mapped to plain ASCII', () => {
    const map = readInputMap(metadataWith('{"３":"3","²":"^2","\u3000":" "}'), 'm.gguf')
    expect([...(map ?? [])]).toEqual([['３', '3'], ['²', '^2'], ['\u3000', ' ']])
  })

  it.each([
    ['not JSON', '{"３":'],
    ['not an object', '["３","3"]'],
    ['a key of two characters', '{"３４":"34"}'],
    ['a value that spells a control token', '{"＜":"<eoh>"}'],
    ['a value with a role marker bar', '{"｜":"|"}'],
    ['a value with a bracket', '{"［":"["}'],
    ['a non-string value', '{"３":3}'],
    ['an empty value', '{"３":""}'],
  ])('refuses a map that is %s, naming the key and the file', (_why, json) => {
    const read = () => readInputMap(metadataWith(json), 'models/bad.gguf')
    expect(read).toThrow(ModelLoadError)
    expect(read).toThrow(/models\/bad\.gguf: the metadata key moss\.tokenizer\.input_map/)
  })

  it('refuses a map that is not a string', () => {
    expect(() => readInputMap({ moss: { tokenizer: { input_map: 7 } } }, 'm.gguf')).toThrow(`${INPUT_MAP_KEY} is not a string`)
  })
})

describe('applyInputMap', () => {
  const map = new Map([['３', '3'], ['×', '*'], ['²', '^2'], ['（', '('], ['）', ')']])
  it('replaces every mapped character and leaves the rest, CJK included, as it was', () => {
    expect(applyInputMap('３×３ 等于多少？', map)).toBe('3*3 等于多少？')
    expect(applyInputMap('（x²）', map)).toBe('(x^2)')
    expect(applyInputMap('没有要换的字', map)).toBe('没有要换的字')
    expect(applyInputMap('', map)).toBe('')
  })
})

describe('PartTokenizerCache with an input map', () => {
  // One token per code point, no space prefix: what goes in is what the map made of the text.
  const fake = {
    tokenize(text: string): Token[] {
      return [...text].map((ch) => ch.codePointAt(0) ?? 0) as Token[]
    },
  }
  const codes = (text: string): number[] => [...text].map((ch) => ch.codePointAt(0) ?? 0)

  it('tokenizes trusted and untrusted parts after the map, and leaves text alone without one', () => {
    const mapped = new PartTokenizerCache(fake, new Map([['＋', '+'], ['２', '2']]))
    expect(mapped.tokenize({ text: '２＋２', trusted: false })).toEqual(codes('2+2'))
    expect(mapped.tokenize({ text: 'Result: ２', trusted: true })).toEqual(codes('Result: 2'))
    expect(mapped.count([{ text: '２＋２', trusted: false }])).toBe(3)
    expect(new PartTokenizerCache(fake).tokenize({ text: '２＋２', trusted: false })).toEqual(codes('２＋２'))
  })
})
