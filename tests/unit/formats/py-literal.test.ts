/**
 * The Python literal parser against `ast.literal_eval`: every source below was run through CPython 3's
 * `ast.literal_eval` when the table was written (accepted values converted the way `json.dumps` writes them); the
 * parser must accept exactly what it accepts, with the same value, and refuse what it refuses — except the few
 * literals JSON cannot hold (bytes, complex, infinite floats) and `\N{…}` names, refused here on purpose.
 */
import { describe, expect, it } from 'vitest'
import { FormatError } from '../../../src/errors.js'
import { parsePythonKeywordCall, parsePythonLiteral } from '../../../src/formats/common/py-literal.js'

const ACCEPTED: readonly (readonly [string, unknown])[] = [
  ["True", true],
  ["False", false],
  ["None", null],
  ["0", 0],
  ["42", 42],
  ["-7", -7],
  ["+3", 3],
  ["- 5", -5],
  ["1_000_000", 1000000],
  ["0x1F", 31],
  ["0o17", 15],
  ["0b1010", 10],
  ["00", 0],
  ["3.14", 3.14],
  ["-2.5e-3", -0.0025],
  [".5", 0.5],
  ["5.", 5.0],
  ["1E3", 1000.0],
  ["1_0.5_0", 10.5],
  ["'single'", "single"],
  ["\"double\"", "double"],
  ["'''triple\nsingle'''", "triple\nsingle"],
  ["\"\"\"triple \"quoted\" double\"\"\"", "triple \"quoted\" double"],
  ["'it\\'s'", "it's"],
  ["\"say \\\"hi\\\"\"", "say \"hi\""],
  ["'a' 'b'", "ab"],
  ["'a' \"b\" '''c'''", "abc"],
  ["('a'\n 'b')", "ab"],
  ["'tab\\there'", "tab\there"],
  ["'nl\\nhere'", "nl\nhere"],
  ["'\\x41\\u4e2d\\U0001F600'", "A中😀"],
  ["'\\101\\0'", "A\u0000"],
  ["'back\\\\slash'", "back\\slash"],
  ["'unknown \\d escape'", "unknown \\d escape"],
  ["r'raw\\n\\d'", "raw\\n\\d"],
  ["R\"raw\"", "raw"],
  ["u'unicode'", "unicode"],
  ["'line\\\ncontinued'", "linecontinued"],
  ["'中文 “引号” 全角，'", "中文 “引号” 全角，"],
  ["'emoji 😀'", "emoji 😀"],
  ["[1, 2, 3]", [1, 2, 3]],
  ["[]", []],
  ["[1, [2, [3, []]]]", [1, [2, [3, []]]]],
  ["[1, 'a', None, True,]", [1, "a", null, true]],
  ["(1, 2)", [1, 2]],
  ["()", []],
  ["(1,)", [1]],
  ["(1)", 1],
  ["((1, 2), [3])", [[1, 2], [3]]],
  ["{'a': 1, 'b': [1, 2]}", {"a": 1, "b": [1, 2]}],
  ["{}", {}],
  ["{'k': {'n': None}}", {"k": {"n": null}}],
  ["{1: 'one', 2.5: 'x', False: 'f', None: 'n'}", {"1": "one", "2.5": "x", "false": "f", "null": "n"}],
  ["{1, 2, 3}", [1, 2, 3]],
  ["{'a': 1,}", {"a": 1}],
  ["[1, # a comment\n 2]", [1, 2]],
  ["-0.0", -0.0],
  ["12345678901234567890", Number(12345678901234567890n)],
]

const REFUSED: readonly string[] = [
  "'a' + 'b'",
  "1 + 2",
  "x",
  "foo(1)",
  "str(2)",
  "true",
  "null",
  "f'{x}'",
  "'abc'[0]",
  "[1, 2",
  "'unclosed",
  "'line\nbreak'",
  "{'a' 1}",
  "[1 2]",
  "-'a'",
  "{[1]: 2}",
  "07",
  "a.b",
  "{**d}",
  "[*x]",
  "'\\x4'",
  "not True",
  "lambda: 1",
  "()()",
]

const REFUSED_HERE_ONLY: readonly string[] = [
  "b'bytes'",
  "1j",
  "1+2j",
  "1e999",
  "'\\N{BULLET}'",
]

/** The reason a refusal gives, or `undefined` when the text parsed. */
function refusal(run: () => unknown): string | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError)
    return (error as FormatError).message
  }
}

describe('parsePythonLiteral, compared with ast.literal_eval', () => {
  it.each(ACCEPTED)('accepts %j', (source, value) => {
    expect(parsePythonLiteral(source)).toEqual(value)
  })

  it.each(REFUSED)('refuses %j, as literal_eval does', (source) => {
    expect(refusal(() => parsePythonLiteral(source))).toEqual(expect.any(String))
  })

  it.each(REFUSED_HERE_ONLY)('refuses %j, which JSON cannot hold (literal_eval accepts it)', (source) => {
    expect(refusal(() => parsePythonLiteral(source))).toEqual(expect.any(String))
  })

  it('keeps CJK, full-width punctuation and astral characters as they are', () => {
    expect(parsePythonLiteral("'杭州 “天气”，\\'晴\\'😀'")).toBe("杭州 “天气”，'晴'😀")
    expect(parsePythonLiteral('"""多行\n文本"""')).toBe('多行\n文本')
  })

  it('says what is wrong', () => {
    expect(refusal(() => parsePythonLiteral("'a' + 'b'"))).toBe("'a' + 'b' is an expression, not a literal")
    expect(refusal(() => parsePythonLiteral('str(2)'))).toBe('str (a call) is a name, not a literal')
    expect(refusal(() => parsePythonLiteral('true'))).toContain('Python writes True, False, None')
    expect(refusal(() => parsePythonLiteral("'open"))).toBe("a string opened with ' is never closed")
    expect(refusal(() => parsePythonLiteral('1j'))).toContain('complex number')
  })

  it('refuses nesting deeper than 100 levels instead of overflowing the stack', () => {
    expect(parsePythonLiteral(`${'['.repeat(50)}${']'.repeat(50)}`)).toBeDefined()
    expect(refusal(() => parsePythonLiteral(`${'['.repeat(5000)}${']'.repeat(5000)}`))).toContain('nested deeper')
  })
})

describe('parsePythonKeywordCall', () => {
  it('reads keyword arguments of every literal kind', () => {
    const source = `tool_call(flag=True, none=None, off=False, n=-3, x=2.5e2, s='it\\'s', d="双", t='''a
"b"''', cat='a' 'b', items=[1, 2, 3], pair=(1, 'x'), nested={'k': [{'v': None}]},)`
    expect(parsePythonKeywordCall(source, 'tool_call')).toEqual({
      flag: true,
      none: null,
      off: false,
      n: -3,
      x: 250,
      s: "it's",
      d: '双',
      t: 'a\n"b"',
      cat: 'ab',
      items: [1, 2, 3],
      pair: [1, 'x'],
      nested: { k: [{ v: null }] },
    })
  })

  it('reads an empty call and calls spread over lines with comments', () => {
    expect(parsePythonKeywordCall('tool_call()', 'tool_call')).toEqual({})
    expect(parsePythonKeywordCall("tool_call(\n    query='杭州',  # the city\n    limit=2,\n)", 'tool_call')).toEqual({ query: '杭州', limit: 2 })
  })

  it.each([
    ["tool_call('23*47')", "'23*47' is a positional argument; write name=value"],
    ['tool_call(expression)', 'expression is a positional argument; write name=value'],
    ["tool_call(a='a' + 'b')", "'a' + 'b' is an expression, not a literal"],
    ['tool_call(a=str(2))', 'str (a call) is a name, not a literal'],
    ['tool_call(a=x)', 'x is a name, not a literal'],
    ['tool_call(a=1, a=2)', 'the argument a is given twice'],
    ['tool_call(**{"a": 1})', 'unpacked arguments (* or **) are not literals'],
    ["other(a='x')", 'expected tool_call(…), found other'],
    ["tool_call(a='x')\nprint(1)", 'unexpected "print(1)" after the call'],
    ["tool_call(a='x'", 'expected "," or ")", found the end'],
    ["tool_call(a='x' b=1)", 'expected "," or ")", found "b=1)"'],
  ])('refuses %j: %s', (source, reason) => {
    expect(refusal(() => parsePythonKeywordCall(source, 'tool_call'))).toBe(reason)
  })
})
