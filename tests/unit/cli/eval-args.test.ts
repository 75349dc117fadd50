/** `moss eval` arguments: several models, defaults, and one-line errors for every mistake. */
import { describe, expect, it } from 'vitest'
import { parseEvalArgs } from '../../../src/cli/eval-args.js'
import { ConfigError } from '../../../src/errors.js'

describe('moss eval arguments', () => {
  it('reads several --model, the suite and the defaults (moss, both grammar settings, 1 case at a time, 120 s)', () => {
    const o = parseEvalArgs(['--suite', 'builtin', '--model', 'a.gguf', '-m', 'hf:org/b'], {})
    expect(o).toMatchObject({ models: ['a.gguf', 'hf:org/b'], suite: 'builtin', format: 'auto', grammar: [true, false], concurrency: 1, timeoutMs: 120000, json: false, backend: 'llama-cpp' })
    expect(o.limit).toBeUndefined()
    expect(parseEvalArgs(['--suite', 'builtin'], {}).format).toBe('moss')
  })
  it('reads every option', () => {
    const o = parseEvalArgs(['--suite', 'bfcl:x', '--format', 'QWEN', '--grammar', 'off', '--limit', '5', '--json', '--report', 'r.html', '--resume', 'r.jsonl', '--timeout-ms', '9000', '--concurrency', '2', '--backend', 'openai', '--base-url', 'http://127.0.0.1:1'], {})
    expect(o).toMatchObject({ format: 'qwen', grammar: [false], limit: 5, json: true, report: 'r.html', resume: 'r.jsonl', timeoutMs: 9000, concurrency: 2, backend: 'openai', baseUrl: 'http://127.0.0.1:1' })
  })
  it('on a remote server: moss and grammar off by default (no chat template to read, no grammar to send)', () => {
    const o = parseEvalArgs(['--suite', 'builtin', '--backend', 'openai', '--base-url', 'http://127.0.0.1:1', '--model', 'served'], {})
    expect(o).toMatchObject({ backend: 'openai', models: ['served'], format: 'moss', grammar: [false] })
    expect(parseEvalArgs(['--suite', 'builtin', '--format', 'qwen'], { MOSS_BACKEND: 'openai', MOSS_BASE_URL: 'http://127.0.0.1:1' })).toMatchObject({ format: 'qwen', grammar: [false] })
  })
  it.each([
    [[], /needs --suite/],
    [['--suite', 'builtin', '--backend', 'openai', '--base-url', 'http://127.0.0.1:1', '--grammar', 'on'], /^--grammar on needs a local model: a remote server takes no grammar from moss-agent \(use --grammar off\)$/],
    [['--suite', 'builtin', '--backend', 'openai', '--base-url', 'http://127.0.0.1:1', '--grammar', 'both'], /^--grammar both needs a local model/],
    [['--suite', 'builtin', '--format', 'gpt'], /--format must be auto or one of moss, qwen/],
    [['--suite', 'builtin', '--grammar', 'maybe'], /--grammar must be on, off or both/],
    [['--suite', 'builtin', '--limit', '0'], /--limit must be an integer of at least 1/],
    [['--suite', 'builtin', '--backend', 'openai'], /needs --base-url/],
    [['--suite', 'builtin', '--base-url', 'not a url'], /not a URL/],
    [['--suite', 'builtin', '--frobnicate'], /moss eval: Unknown option '--frobnicate'/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseEvalArgs(argv, {})).toThrow(ConfigError)
    expect(() => parseEvalArgs(argv, {})).toThrow(message)
  })
})
