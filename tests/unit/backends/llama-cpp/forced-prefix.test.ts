import type { Token } from 'node-llama-cpp'
import { describe, expect, it } from 'vitest'
import { gbnfLiteral, planForcedPrefix, splitLiteralPrefix } from '../../../../src/backends/llama-cpp/forced-prefix.js'
import { buildMossCommandsGrammar } from '../../../../src/formats/moss/grammar.js'

describe('splitLiteralPrefix', () => {
  it('takes the leading literals of root, escapes decoded', () => {
    const gbnf = 'root ::= "<tool_call>\\n{\\"name\\": " "\\"Calc\\\\" name rest\nname ::= [a-z]+\nrest ::= "}"\n'
    expect(splitLiteralPrefix(gbnf)).toEqual({ literal: '<tool_call>\n{"name": "Calc\\', restOfRoot: 'name rest' })
  })

  it('declines what is not fixed text: alternations, repetitions, multi-line roots, no literal', () => {
    expect(splitLiteralPrefix('root ::= "a" | "b" x\nx ::= "c"')).toBeUndefined()
    expect(splitLiteralPrefix('root ::= "a" ("b" | "c")')).toEqual({ literal: 'a', restOfRoot: '("b" | "c")' })
    expect(splitLiteralPrefix('root ::= "a"* x')).toBeUndefined()
    expect(splitLiteralPrefix('root ::= "abc"')).toEqual({ literal: 'abc', restOfRoot: '' })
    expect(splitLiteralPrefix('root ::= "a"\n  x\nx ::= "y"')).toBeUndefined()
    expect(splitLiteralPrefix('root ::= x "a"\nx ::= "y"')).toBeUndefined()
    expect(splitLiteralPrefix('x ::= "a" y')).toBeUndefined()
    // MOSS's own commands grammar: only " " is fixed before the calls.
    expect(splitLiteralPrefix(buildMossCommandsGrammar([{ name: 'calculator', command: 'Calculate', enabled: true } as never]))?.literal).toBe(' ')
  })

  it('writes literals back in GBNF', () => {
    expect(gbnfLiteral('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"')
  })
})

describe('planForcedPrefix', () => {
  // A toy tokenizer: one token per character (ids are char codes).
  const tokenize = (text: string): Token[] => Array.from(text).map((c) => c.codePointAt(0) as Token)
  const detokenize = (tokens: readonly Token[]): string => String.fromCodePoint(...tokens)
  const gbnf = 'root ::= "{\\"x\\": \\"" arg "\\"}"\narg ::= [0-9]+\n'

  it('forces all but the last token of the literal and keeps the rest in the grammar', () => {
    const plan = planForcedPrefix(gbnf, tokenize, detokenize, ['<eoc>'], 100)
    expect(plan?.text).toBe('{"x": ')
    expect(plan?.tokens).toHaveLength(6)
    expect(plan?.gbnf).toBe('root ::= "\\"" arg "\\"}"\narg ::= [0-9]+\n')
  })

  it('keeps the last token of an all-literal root for the model', () => {
    expect(planForcedPrefix('root ::= "abc"', tokenize, detokenize, [], 100)).toMatchObject({ text: 'ab', gbnf: 'root ::= "c"' })
  })

  it('forces every token and the closing marker of an all-literal root closed by an end-of-generation marker', () => {
    expect(planForcedPrefix('root ::= "abc"', tokenize, detokenize, [], 100, '$')).toMatchObject({ text: 'abc', tokens: [97, 98, 99, 36], closes: '$' })
    // Grammar after the literal: the usual plan (the model still has a choice); no room: nothing forced.
    expect(planForcedPrefix(gbnf, tokenize, detokenize, [], 100, '$')?.closes).toBeUndefined()
    expect(planForcedPrefix('root ::= "abc"', tokenize, detokenize, [], 3, '$')).toBeUndefined()
  })

  it('forces nothing when a stop marker is inside, the limit is too small, or one token spells the literal', () => {
    expect(planForcedPrefix(gbnf, tokenize, detokenize, ['"x"'], 100)).toBeUndefined()
    expect(planForcedPrefix(gbnf, tokenize, detokenize, [], 6)).toBeUndefined()
    expect(planForcedPrefix(gbnf, () => [1 as Token], detokenize, [], 100)).toBeUndefined()
    // Tokens that do not spell the literal's start (a lossy tokenizer) are not forced.
    expect(planForcedPrefix(gbnf, tokenize, () => 'zz', [], 100)).toBeUndefined()
  })
})
