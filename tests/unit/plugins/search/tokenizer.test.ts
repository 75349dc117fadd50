import { describe, expect, it } from 'vitest'
import { tokenize } from '../../../../plugins/search/local/tokenizer.js'

describe('local index tokenizer', () => {
  it('splits Han into single characters plus bigrams', () => {
    expect(tokenize('上海人口')).toEqual(['上', '上海', '海', '海人', '人', '人口', '口'])
  })

  it('keeps Latin words whole and separates them from adjacent Han', () => {
    expect(tokenize('abc上海 Population2020')).toEqual(['abc', '上', '上海', '海', 'population2020'])
  })

  it('normalises full-width letters and digits (NFKC)', () => {
    expect(tokenize('ＧＤＰ　２０２０年')).toEqual(['gdp', '2020', '年'])
  })

  it('treats Chinese function words and question phrases as separators', () => {
    expect(tokenize('上海的人口是多少')).toEqual(['上', '上海', '海', '人', '人口', '口'])
  })

  it('splits kana like Han', () => {
    expect(tokenize('とうきょう')).toContain('きょ')
  })

  it('returns nothing for punctuation only', () => {
    expect(tokenize('？！。，')).toEqual([])
  })
})
