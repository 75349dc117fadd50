import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../src/errors.js'
import { parseCliArgs } from '../../../src/cli/args.js'

describe('parseCliArgs', () => {
  test('defaults: chat on the local backend, MOSS format, thoughts shown', () => {
    const options = parseCliArgs([], { MOSS_HISTORY: '/tmp/h' })
    expect(options).toMatchObject({ command: 'chat', backend: 'llama-cpp', format: 'moss', thoughts: true, json: false, historyFile: '/tmp/h' })
    expect(options.model).toBeUndefined()
  })

  test('flags win over environment variables', () => {
    const env = { MOSS_THREADS: '4', MOSS_MODEL: 'env.gguf', MOSS_TEMPERATURE: '0.2' }
    const options = parseCliArgs(['--threads', '1', '--model', 'flag.gguf'], env)
    expect(options.threads).toBe(1)
    expect(options.model).toBe('flag.gguf')
    expect(options.temperature).toBe(0.2)
  })

  test('--model defaults the format to auto (also from MOSS_MODEL); --format wins', () => {
    expect(parseCliArgs(['--model', 'qwen3.gguf'], {}).format).toBe('auto')
    expect(parseCliArgs([], { MOSS_MODEL: 'qwen3.gguf' }).format).toBe('auto')
    expect(parseCliArgs(['--model', 'x.gguf', '--format', 'llama3'], {}).format).toBe('llama3')
  })

  test('run takes the question; --json and --no-thoughts are booleans; MOSS_NO_THOUGHTS=0 keeps thoughts', () => {
    const options = parseCliArgs(['run', '--json', '--no-thoughts', '解方程', 'x^2=4'], {})
    expect(options).toMatchObject({ command: 'run', question: '解方程 x^2=4', json: true, thoughts: false })
    expect(parseCliArgs([], { MOSS_NO_THOUGHTS: '0' }).thoughts).toBe(true)
    expect(parseCliArgs([], { MOSS_NO_THOUGHTS: '1' }).thoughts).toBe(false)
  })

  test('remote backends need their URL; --gpu false means CPU', () => {
    expect(parseCliArgs(['--backend', 'openai', '--base-url', 'http://127.0.0.1:1/v1'], {})).toMatchObject({ backend: 'openai', baseUrl: 'http://127.0.0.1:1/v1' })
    expect(parseCliArgs(['--backend', 'hf', '--endpoint', 'http://127.0.0.1:2'], { HF_TOKEN: 't' })).toMatchObject({ backend: 'hf', hfToken: 't' })
    expect(parseCliArgs(['--gpu', 'false'], {}).gpu).toBe(false)
    expect(() => parseCliArgs(['--backend', 'hf'], {})).toThrow(/--endpoint/)
    expect(() => parseCliArgs(['--backend', 'openai', '--base-url', 'not a url'], {})).toThrow(/not a URL/)
  })

  test('serve takes its address, token, sessions folder and CORS origins from flags or MOSS_SERVE_* / MOSS_SESSIONS', () => {
    const options = parseCliArgs(['serve', '--port', '0', '--cors', 'https://a.example, https://b.example'], {
      MOSS_SERVE_HOST: '0.0.0.0',
      MOSS_SERVE_TOKEN: 't0k',
      MOSS_SESSIONS: '/tmp/s',
    })
    expect(options).toMatchObject({ command: 'serve', port: 0, host: '0.0.0.0', token: 't0k', sessionsDir: '/tmp/s' })
    expect(options.corsOrigins).toEqual(['https://a.example', 'https://b.example'])
    expect(() => parseCliArgs(['serve', 'extra'], {})).toThrow(ConfigError)
    expect(() => parseCliArgs(['serve', '--port', '-1'], {})).toThrow(/--port/)
  })

  test('plugin flags reach the plugin environment under the names the plugins read', () => {
    const options = parseCliArgs(['--searxng-url', 'http://127.0.0.1:8888', '--sdapi-url', 'http://127.0.0.1:7860'], { KEEP: 'x' })
    expect(options.pluginEnv).toMatchObject({ MOSS_SEARXNG_URL: 'http://127.0.0.1:8888', MOSS_SDAPI_URL: 'http://127.0.0.1:7860', KEEP: 'x' })
  })

  test.each([
    [['--nope'], 'unknown option --nope'],
    [['--ctx'], 'option --ctx needs a value'],
    [['--ctx', '12.5'], '--ctx must be an integer'],
    [['--seed=-3'], '--seed must be at least 0'],
    [['--seed', '-3'], 'option --seed needs a value (write --seed=-… for a value starting with -)'],
    [['--json=yes'], 'option --json takes no value'],
    [['--lang', 'fr'], '--lang must be one of en, zh'],
    [['chat', 'extra'], 'unexpected argument "extra"'],
  ])('%j is a ConfigError: %s', (argv, message) => {
    let error: unknown
    try {
      parseCliArgs(argv, {})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(message)
    expect((error as Error).message).not.toContain('\n')
  })

  test('a bad environment variable is reported under its flag name', () => {
    expect(() => parseCliArgs([], { MOSS_THREADS: 'lots' })).toThrow('--threads must be an integer (got "lots")')
  })
})
