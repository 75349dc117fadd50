import { describe, expect, it } from 'vitest'
import { asTemplateJson } from '../../../../src/backends/llama-cpp/template-json.js'

/** Rules in the shape node-llama-cpp 3.x writes them for `{a: string, b: string[], c: {d: integer}}`. */
const NODE_LLAMA_CPP_RULES = [
  'root ::= "{" whitespace-b-1-4-rule "\\"a\\"" ":" [ ]? string-rule comma-whitespace-b-1-4-rule "\\"b\\"" ":" [ ]? rule0 comma-whitespace-b-1-4-rule "\\"c\\"" ":" [ ]? rule1 whitespace-b-0-4-rule "}"',
  'string-char-rule ::= [^"\\\\<\\x7F\\x00-\\x1F] | "\\\\" ["\\\\/bfnrt] | "\\\\u" [0-9a-fA-F]{4}',
  'string-rule ::= "\\"" string-char-rule* "\\""',
  'comma-whitespace-b-1-4-rule ::= "," ([\\n] ("    " | "\\t") | [ ]?)',
  'whitespace-b-2-4-rule ::= [\\n] (" "{8} | "\\t\\t") | [ ]?',
  'comma-whitespace-b-2-4-rule ::= "," ([\\n] (" "{8} | "\\t\\t") | [ ]?)',
  'whitespace-b-1-4-rule ::= [\\n] ("    " | "\\t") | [ ]?',
  'rule0 ::= "[" whitespace-b-2-4-rule ( string-rule ( comma-whitespace-b-2-4-rule string-rule )* )? whitespace-b-1-4-rule "]"',
  'rule1 ::= "{" whitespace-b-2-4-rule "\\"d\\"" ":" [ ]? integer-number-rule whitespace-b-1-4-rule "}"',
  'whitespace-b-0-4-rule ::= [\\n] | [ ]?',
  'whitespace-no-new-lines-rule ::= [ ]?',
  'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
  'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
].join('\n')

describe('asTemplateJson', () => {
  it("pins node-llama-cpp's JSON to tojson's spacing and to the escapes and numbers the renderer writes", () => {
    expect(asTemplateJson(NODE_LLAMA_CPP_RULES)).toBe(
      [
        'root ::= "{" whitespace-b-1-4-rule "\\"a\\"" ": " string-rule comma-whitespace-b-1-4-rule "\\"b\\"" ": " rule0 comma-whitespace-b-1-4-rule "\\"c\\"" ": " rule1 whitespace-b-0-4-rule "}"',
        'string-char-rule ::= [^"\\\\<\\x7F\\x00-\\x1F] | "\\\\" ["\\\\bfnrt] | "\\\\u00" [01] [0-9a-f]',
        'string-rule ::= "\\"" string-char-rule* "\\""',
        'comma-whitespace-b-1-4-rule ::= ", "',
        'whitespace-b-2-4-rule ::= ""',
        'comma-whitespace-b-2-4-rule ::= ", "',
        'whitespace-b-1-4-rule ::= ""',
        'rule0 ::= "[" whitespace-b-2-4-rule ( string-rule ( comma-whitespace-b-2-4-rule string-rule )* )? whitespace-b-1-4-rule "]"',
        'rule1 ::= "{" whitespace-b-2-4-rule "\\"d\\"" ": " integer-number-rule whitespace-b-1-4-rule "}"',
        'whitespace-b-0-4-rule ::= ""',
        'whitespace-no-new-lines-rule ::= ""',
        'integer-number-rule ::= "0" | "-"? [1-9] [0-9]{0,14}',
        'fractional-number-rule ::= "0" | "-"? ( [1-9] [0-9]{0,14} | [1-9] [0-9]{0,6} "." [0-9]{0,5} [1-9] | "0" "." [0-9]{0,5} [1-9] )',
      ].join('\n'),
    )
  })

  it('never touches the content of a literal or a class, nor a rule that only looks like a whitespace rule', () => {
    const rules = 'val0 ::= "\\"\\\\\\":\\\\\\" [ ]?\\""\nval1 ::= [":" ]? ":"\nmy-whitespace ::= [ ]?\n'
    expect(asTemplateJson(rules)).toBe(rules)
  })
})
