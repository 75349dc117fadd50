/**
 * Command-line parsing: flags (node:util parseArgs) with matching environment variables. Flags win over the
 * environment. Every mistake becomes a {@link ConfigError} with a one-line message.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, describeError } from '../errors.js'
import { FORMAT_FACTORIES } from '../formats/get-format.js'
import type { CliBackendKind, CliOptions } from './cli-options.js'
import { CONFIG_KEYS, loadConfigFile } from './config-file.js'
import type { ConfigFile } from './config-file.js'
import { PLUGIN_FLAGS } from './plugin-flags.js'

type FlagKind = 'string' | 'int' | 'number' | 'boolean'

/** A flag, the environment variable that supplies it when absent, and how to read it. */
interface FlagSpec {
  readonly kind: FlagKind
  readonly env?: string
  readonly short?: string
  /** Allowed values of a string flag. */
  readonly choices?: readonly string[]
  /** Smallest allowed number. */
  readonly min?: number
  /** A string flag that may be repeated (`--mcp a --mcp b`). */
  readonly multiple?: boolean
}

/** `--format` values: `auto` and every name of the format registry. */
export const FORMAT_CHOICES: readonly string[] = ['auto', ...Object.keys(FORMAT_FACTORIES)]

/** The flag table. Names are the long flags without `--`. */
const FLAGS: Readonly<Record<string, FlagSpec>> = {
  model: { kind: 'string', env: 'MOSS_MODEL', short: 'm' },
  backend: { kind: 'string', env: 'MOSS_BACKEND', choices: ['llama-cpp', 'llama', 'local', 'openai', 'hf'] },
  gpu: { kind: 'string', env: 'MOSS_GPU', choices: ['auto', 'cuda', 'vulkan', 'metal', 'false', 'off', 'cpu'] },
  threads: { kind: 'int', env: 'MOSS_THREADS', min: 1 },
  ctx: { kind: 'int', env: 'MOSS_CTX', min: 64 },
  format: { kind: 'string', env: 'MOSS_FORMAT', choices: FORMAT_CHOICES },
  lang: { kind: 'string', env: 'MOSS_LANG', choices: ['en', 'zh'] },
  temperature: { kind: 'number', env: 'MOSS_TEMPERATURE', min: 0 },
  seed: { kind: 'int', env: 'MOSS_SEED', min: 0 },
  'no-thoughts': { kind: 'boolean', env: 'MOSS_NO_THOUGHTS' },
  json: { kind: 'boolean' },
  'base-url': { kind: 'string', env: 'MOSS_BASE_URL' },
  'api-key': { kind: 'string', env: 'MOSS_API_KEY' },
  endpoint: { kind: 'string', env: 'MOSS_HF_ENDPOINT' },
  'hf-token': { kind: 'string', env: 'HF_TOKEN' },
  docs: { kind: 'string', env: 'MOSS_SEARCH_DOCS' },
  history: { kind: 'string', env: 'MOSS_HISTORY' },
  plugin: { kind: 'string', multiple: true },
  mcp: { kind: 'string', multiple: true },
  'mcp-url': { kind: 'string', multiple: true },
  config: { kind: 'string', env: 'MOSS_CONFIG' },
  port: { kind: 'int', env: 'MOSS_SERVE_PORT', min: 0 },
  host: { kind: 'string', env: 'MOSS_SERVE_HOST' },
  token: { kind: 'string', env: 'MOSS_SERVE_TOKEN' },
  sessions: { kind: 'string', env: 'MOSS_SESSIONS' },
  cors: { kind: 'string', env: 'MOSS_SERVE_CORS' },
  help: { kind: 'boolean', short: 'h' },
  version: { kind: 'boolean', short: 'v' },
  ...Object.fromEntries(PLUGIN_FLAGS.map((f) => [f.flag, { kind: 'string' as const }])),
}

const COMMANDS = ['chat', 'run', 'serve', 'help', 'version'] as const

/**
 * Parses `argv` (without node and script) and `env` into {@link CliOptions}. For `chat`, `run` and `serve`, settings missing
 * from both come from the config file (`--config FILE`, else `moss.config.json` in `cwd`). Throws {@link ConfigError}.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): CliOptions {
  const raw = parseRaw(argv)
  const values = raw.values as Record<string, string | boolean | string[] | undefined>
  const [first, ...rest] = raw.positionals
  let command: CliOptions['command'] = 'chat'
  let positionals = raw.positionals
  if (first !== undefined && (COMMANDS as readonly string[]).includes(first)) {
    command = first as CliOptions['command']
    positionals = rest
  } else if (first !== undefined) {
    throw new ConfigError(`unknown command "${first}" (commands: chat, run, serve; see moss --help)`)
  }
  if (values.help) command = 'help'
  else if (values.version) command = 'version'

  let question: string | undefined
  if (command === 'run') {
    question = positionals.join(' ').trim()
    if (question === '') throw new ConfigError('moss run needs a question, e.g. moss run "What is 2+3?"')
  } else if ((command === 'chat' || command === 'serve') && positionals.length > 0) {
    throw new ConfigError(`unexpected argument "${positionals[0]}" (did you mean moss run "…"?)`)
  }

  const configPath = typeof values.config === 'string' ? values.config : env.MOSS_CONFIG || undefined
  const config: ConfigFile | undefined = command === 'chat' || command === 'run' || command === 'serve' ? loadConfigFile(configPath, cwd) : undefined
  /** Where a value came from, for error messages: `--ctx` or `moss.config.json: "ctx"`. */
  const origin = new Map<string, string>()
  const pick = (name: string): string | boolean | undefined => {
    const spec = FLAGS[name]
    const fromFlag = values[name]
    if (typeof fromFlag === 'string' || typeof fromFlag === 'boolean') return fromFlag
    const fromEnv = spec?.env !== undefined ? env[spec.env] : undefined
    if (fromEnv === undefined || fromEnv === '') {
      const key = CONFIG_KEYS[name]
      const fromConfig = key !== undefined ? (config?.values as Record<string, unknown> | undefined)?.[key] : undefined
      if (fromConfig === undefined || config === undefined) return undefined
      origin.set(name, `${config.path}: "${key}"`)
      return String(fromConfig)
    }
    if (spec?.kind === 'boolean') return !['0', 'false', 'no', 'off'].includes(fromEnv.toLowerCase())
    return fromEnv
  }
  const str = (name: string): string | undefined => {
    const value = pick(name)
    if (value === undefined || typeof value === 'boolean') return undefined
    const spec = FLAGS[name]
    if (spec?.choices && !spec.choices.includes(value)) {
      throw new ConfigError(`${origin.get(name) ?? `--${name}`} must be one of ${spec.choices.join(', ')} (got "${value}")`)
    }
    return value
  }
  const list = (name: string): string[] => {
    const value = values[name]
    return Array.isArray(value) ? value : []
  }
  const num = (name: string): number | undefined => {
    const value = str(name)
    if (value === undefined) return undefined
    const spec = FLAGS[name]
    const parsed = Number(value)
    const isInt = spec?.kind === 'int'
    if (value.trim() === '' || !Number.isFinite(parsed) || (isInt && !Number.isInteger(parsed))) {
      throw new ConfigError(`--${name} must be ${isInt ? 'an integer' : 'a number'} (got "${value}")`)
    }
    if (spec?.min !== undefined && parsed < spec.min) {
      throw new ConfigError(`--${name} must be at least ${spec.min} (got ${value})`)
    }
    return parsed
  }

  const backend = normaliseBackend(str('backend'))
  const gpuText = str('gpu')
  const gpu: CliOptions['gpu'] =
    gpuText === undefined ? undefined : ['false', 'off', 'cpu'].includes(gpuText) ? false : (gpuText as 'auto' | 'cuda' | 'vulkan' | 'metal')
  const baseUrl = str('base-url')
  const endpoint = str('endpoint')
  if (backend === 'openai' && baseUrl === undefined) {
    throw new ConfigError('--backend openai needs --base-url URL (or MOSS_BASE_URL)')
  }
  if (backend === 'hf' && endpoint === undefined) {
    throw new ConfigError('--backend hf needs --endpoint URL (or MOSS_HF_ENDPOINT)')
  }
  for (const [name, url] of [['base-url', baseUrl], ['endpoint', endpoint]] as const) {
    if (url !== undefined && !URL.canParse(url)) throw new ConfigError(`--${name} is not a URL: "${url}"`)
  }

  const pluginEnv: Record<string, string | undefined> = { ...env }
  for (const flag of PLUGIN_FLAGS) {
    const value = values[flag.flag]
    if (typeof value === 'string') pluginEnv[flag.env] = value
  }

  const options: CliOptions = {
    command,
    backend,
    // A model of the user's own gets its format from its chat template; the bundled MOSS model speaks MOSS.
    format: str('format') ?? (str('model') !== undefined ? 'auto' : 'moss'),
    thoughts: pick('no-thoughts') !== true,
    json: values.json === true,
    debug: env.MOSS_DEBUG === '1',
    pluginEnv,
    historyFile: str('history') ?? join(homedir(), '.moss_history'),
    pluginModules: list('plugin'),
    mcpCommands: list('mcp'),
    mcpUrls: list('mcp-url'),
    cwd,
    ...(config !== undefined ? { config } : {}),
    ...(defined({
      question,
      model: str('model'),
      gpu,
      threads: num('threads'),
      ctx: num('ctx'),
      lang: str('lang') as 'en' | 'zh' | undefined,
      temperature: num('temperature'),
      seed: num('seed'),
      baseUrl,
      apiKey: str('api-key') ?? env.OPENAI_API_KEY,
      endpoint,
      hfToken: str('hf-token'),
      docs: str('docs'),
      port: num('port'),
      host: str('host'),
      token: str('token'),
      sessionsDir: str('sessions'),
      corsOrigins: str('cors')?.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
      scriptedOutputs: env.MOSS_SCRIPTED_OUTPUTS || undefined,
    }) as Partial<CliOptions>),
  }
  return options
}

function parseRaw(argv: readonly string[]): ReturnType<typeof parseArgs> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {}
  for (const [name, spec] of Object.entries(FLAGS)) {
    options[name] = {
      type: spec.kind === 'boolean' ? 'boolean' : 'string',
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    }
  }
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new ConfigError(explainParseError(error), { cause: error })
  }
}

/** Turns node:util's long parse messages into one short line. */
function explainParseError(error: unknown): string {
  const code = (error as { code?: string }).code
  const message = describeError(error)
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? ''
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag} (see moss --help)`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('ambiguous')) return `option ${flag} needs a value (write ${flag}=-… for a value starting with -)`
      if (message.includes('does not take')) return `option ${flag} takes no value`
      return `option ${flag} needs a value`
    default:
      return message.split('\n')[0] ?? 'invalid arguments'
  }
}

function normaliseBackend(value: string | undefined): CliBackendKind {
  if (value === undefined || value === 'llama' || value === 'local' || value === 'llama-cpp') return 'llama-cpp'
  return value as CliBackendKind
}

/** Drops `undefined` values so optional properties stay absent. */
function defined<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as never
}
