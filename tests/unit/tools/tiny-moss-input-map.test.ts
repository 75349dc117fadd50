import { describe, expect, it } from 'vitest'
import { readInputMap } from '../../../src/backends/llama-cpp/input-map.js'
import { inputMapFor } from '../../../tools/tiny-moss/tokenizer/input-map.js'

const metadataWith = (json: string): unknown => ({ moss: { tokenizer: { input_map: json } } })

describe('the tiny model input map', () => {
  const map = inputMapFor(['？', '，', '：', 'x', '▁the'])

  it('maps full-width forms, math signs and superscripts the vocabulary lacks, not those it has', () => {
    expect(map['３']).toBe('3')
    expect(map['＋']).toBe('+')
    expect(map['×']).toBe('*')
    expect(map['÷']).toBe('/')
    expect(map['²']).toBe('^2')
    expect(map['\u3000']).toBe(' ')
    // Pieces of the vocabulary are read as trained: Chinese full-width punctuation stays.
    expect(map['？']).toBeUndefined()
    expect(map['，']).toBeUndefined()
  })

  it('never maps to marker characters, and passes the run-time check whole', () => {
    for (const ch of ['＜', '＞', '｜', '［', '］', '｛', '｝', '＼', '｀']) expect(map[ch]).toBeUndefined()
    expect(readInputMap(metadataWith(JSON.stringify(map)), 'tiny-moss.gguf')?.size).toBe(Object.keys(map).length)
  })
})
