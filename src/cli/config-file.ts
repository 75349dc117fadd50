/**
 * `moss.config.json`: the settings a user keeps beside a project — model, backend, format, plugin modules and MCP
 * servers. Read from `--config FILE`, else from `moss.config.json` in the working directory when there is one.
 * Flags and environment variables win over it. Validated with Ajv against the schema below; every mistake is a
 * {@link ConfigError} naming the file and the bad key (`moss.config.json: mcpServers.fs.args must be an array`).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { Ajv } from 'ajv'
import type { ErrorObject } from 'ajv'
import { ConfigError, describeError } from '../errors.js'

/** The default file name looked for in the working directory. */
export const CONFIG_FILE_NAME = 'moss.config.json'

/** Flags the config file may set, by long flag name, with their config keys (camel case). */
export const CONFIG_KEYS: Readonly<Record<string, keyof ConfigFileValues>> = {
  model: 'model',
  backend: 'backend',
  format: 'format',
  lang: 'lang',
  gpu: 'gpu',
  threads: 'threads',
  ctx: 'ctx',
  temperature: 'temperature',
  seed: 'seed',
  'base-url': 'baseUrl',
  'api-key': 'apiKey',
  endpoint: 'endpoint',
  'hf-token': 'hfToken',
  docs: 'docs',
}

/** One MCP server of the config file: a command (stdio) or a URL (Streamable HTTP). */
export interface ConfigMcpServer {
  readonly command?: string
  readonly args?: readonly string[]
  readonly env?: Readonly<Record<string, string>>
  readonly cwd?: string
  readonly url?: string
  readonly headers?: Readonly<Record<string, string>>
  /** Per-call timeout in milliseconds. */
  readonly timeoutMs?: number
  /** Put before every tool name of this server. */
  readonly toolPrefix?: string
}

/** The settings a config file holds (all optional). Keys are the long flags in camel case. */
export interface ConfigFileValues {
  readonly model?: string
  readonly backend?: string
  readonly format?: string
  readonly lang?: string
  readonly gpu?: string
  readonly threads?: number
  readonly ctx?: number
  readonly temperature?: number
  readonly seed?: number
  readonly baseUrl?: string
  readonly apiKey?: string
  readonly endpoint?: string
  readonly hfToken?: string
  readonly docs?: string
  /** Plugin modules: paths (relative to the config file) or package names. */
  readonly plugins?: readonly string[]
  /** MCP servers by name. */
  readonly mcpServers?: Readonly<Record<string, ConfigMcpServer>>
}

/** A loaded config file. */
export interface ConfigFile {
  /** Absolute path of the file. */
  readonly path: string
  /** Its folder: relative paths in it are resolved against it. */
  readonly dir: string
  readonly values: ConfigFileValues
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } }

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    model: { type: 'string' },
    backend: { type: 'string' },
    format: { type: 'string' },
    lang: { type: 'string' },
    gpu: { type: 'string' },
    threads: { type: 'integer', minimum: 1 },
    ctx: { type: 'integer', minimum: 64 },
    temperature: { type: 'number', minimum: 0 },
    seed: { type: 'integer', minimum: 0 },
    baseUrl: { type: 'string' },
    apiKey: { type: 'string' },
    endpoint: { type: 'string' },
    hfToken: { type: 'string' },
    docs: { type: 'string' },
    plugins: { type: 'array', items: { type: 'string', minLength: 1 } },
    mcpServers: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          command: { type: 'string', minLength: 1 },
          args: { type: 'array', items: { type: 'string' } },
          env: stringMap,
          cwd: { type: 'string' },
          url: { type: 'string', minLength: 1 },
          headers: stringMap,
          timeoutMs: { type: 'integer', minimum: 1 },
          toolPrefix: { type: 'string' },
        },
        oneOf: [{ required: ['command'], not: { required: ['url'] } }, { required: ['url'], not: { required: ['command'] } }],
      },
    },
  },
} as const

const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA)

/** `/mcpServers/fs/args` → `mcpServers.fs.args`. */
function keyPath(instancePath: string): string {
  return instancePath.split('/').filter(Boolean).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')
}

/** One clear line for the first Ajv error that says the most. */
function explain(errors: readonly ErrorObject[]): string {
  const unknown = errors.find((e) => e.keyword === 'additionalProperties')
  if (unknown) {
    const where = keyPath(unknown.instancePath)
    const key = String((unknown.params as { additionalProperty?: string }).additionalProperty)
    return `unknown key "${where ? `${where}.` : ''}${key}"`
  }
  const oneOf = errors.find((e) => e.keyword === 'oneOf')
  if (oneOf) return `${keyPath(oneOf.instancePath)} needs either "command" (a stdio server) or "url" (an HTTP server), not both`
  const first = errors.find((e) => e.keyword !== 'not' && e.keyword !== 'required') ?? errors[0]
  if (!first) return 'invalid'
  const where = keyPath(first.instancePath)
  return `${where || 'the file'} ${first.message ?? 'is invalid'}`
}

/**
 * Reads the config file: `explicit` (from `--config`, must exist) or `moss.config.json` in `cwd` (optional).
 * Returns `undefined` when there is none. Throws {@link ConfigError} on unreadable JSON or a bad key.
 */
export function loadConfigFile(explicit: string | undefined, cwd: string): ConfigFile | undefined {
  const path = resolve(cwd, explicit ?? CONFIG_FILE_NAME)
  if (explicit === undefined && !existsSync(path)) return undefined
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${describeError(error)}`, { cause: error })
  }
  let values: unknown
  try {
    values = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${describeError(error)}`, { cause: error })
  }
  if (!validate(values)) throw new ConfigError(`${path}: ${explain(validate.errors ?? [])}`)
  return { path, dir: dirname(path), values: values as ConfigFileValues }
}
