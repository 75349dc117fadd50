/**
 * Arguments of `moss eval` (its own flag table: several `--model`s, suites, report and resume files), read with
 * node:util parseArgs. Every mistake is a {@link ConfigError} with a one-line message.
 */
import { parseArgs } from 'node:util'
import { ConfigError } from '../errors.js'
import { FORMAT_FACTORIES } from '../formats/get-format.js'
import type { CliBackendKind } from './cli-options.js'

/** What `moss eval` runs. */
export interface EvalCliOptions {
  /** GGUF paths or `hf:` URIs (llama-cpp), or model names sent to a remote server; empty = the bundled model (local) or the server's default model. */
  readonly models: readonly string[]
  readonly backend: CliBackendKind
  readonly baseUrl?: string
  readonly apiKey?: string
  /** Dialogue format, or `auto` (from the model's chat template). Defaults to `auto` with a local `--model`, else `moss`. */
  readonly format: string
  /** `bfcl:DIR`, `builtin`, `moss-sft:DIR`, or a path to a cases file in the builtin shape. */
  readonly suite: string
  /** At most this many cases per category. */
  readonly limit?: number
  readonly json: boolean
  /** Grammar settings to run, in order. Defaults to both (`on`, `off`) locally, `off` on a remote server. */
  readonly grammar: readonly boolean[]
  readonly report?: string
  readonly resume?: string
  /** Per-case time limit. Defaults to 120000 ms. */
  readonly timeoutMs: number
  /** Cases at once (the llama.cpp backend opens as many sequences). Defaults to 1. */
  readonly concurrency: number
  readonly threads?: number
  readonly ctx?: number
  readonly maxTokens?: number
  readonly gpu?: 'auto' | 'cuda' | 'vulkan' | 'metal' | false
  readonly help: boolean
}

/** The usage text of `moss eval`. */
export const EVAL_USAGE = `moss eval — how well a model uses tools through moss-agent

  moss eval --suite SUITE [--model FILE.gguf|hf:… ...] [options]

Suites:
  builtin            the project's hand-written questions (evals/builtin; the four built-in plugins, chit-chat)
  bfcl:DIR           BFCL single-turn AST categories in BFCL's file format (simple_python, multiple, parallel,
                     parallel_multiple, irrelevance, with possible_answer/)
  moss-sft:DIR       first human turns of MOSS's SFT conversations (routing; Calculate/Solve values)
  FILE.jsonl         your own cases in the builtin shape

Options:
  --model M          a model to evaluate (repeat for a side-by-side table); default: the bundled model
  --format F         auto, ${Object.keys(FORMAT_FACTORIES).join(', ')} (default auto with --model: from the
                     model's chat template; moss for the bundled model and for a remote server)
  --grammar on|off|both   grammar-constrained call spans (default both; off, the only setting, on a remote server)
  --limit N          at most N cases per category
  --json             print the results as JSON on stdout
  --report FILE      write a self-contained HTML report
  --resume FILE      append every case result to FILE (JSON lines); cases already in it are skipped
  --timeout-ms N     per-case time limit (default 120000)
  --concurrency N    cases at once (default 1)
  --backend openai --base-url URL [--api-key K]   evaluate a remote OpenAI-compatible server (--model names
                     the served model; without it the server's default model answers)
  --threads N  --ctx N  --max-tokens N  --gpu auto|cuda|vulkan|metal|off
`

const FLAGS = {
  model: { type: 'string', multiple: true, short: 'm' },
  backend: { type: 'string' },
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  format: { type: 'string' },
  suite: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  grammar: { type: 'string' },
  report: { type: 'string' },
  resume: { type: 'string' },
  'timeout-ms': { type: 'string' },
  concurrency: { type: 'string' },
  threads: { type: 'string' },
  ctx: { type: 'string' },
  'max-tokens': { type: 'string' },
  gpu: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

function integer(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new ConfigError(`--${name} must be an integer of at least ${min} (got "${text}")`)
  return n
}

/** Parses the arguments after `eval`. `env` supplies MOSS_BASE_URL, MOSS_API_KEY/OPENAI_API_KEY and MOSS_THREADS. */
export function parseEvalArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): EvalCliOptions {
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    const parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: false, strict: true })
    values = parsed.values as typeof values
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new ConfigError(`moss eval: ${message} (see moss eval --help)`, { cause: error })
  }
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined)
  const help = values.help === true
  const suite = str('suite')
  if (suite === undefined && !help) throw new ConfigError('moss eval needs --suite (builtin, bfcl:DIR, moss-sft:DIR or a cases file)')
  const backendText = str('backend') ?? env.MOSS_BACKEND ?? 'llama-cpp'
  if (!['llama-cpp', 'llama', 'local', 'openai'].includes(backendText)) throw new ConfigError(`--backend must be llama-cpp or openai (got "${backendText}")`)
  const backend: CliBackendKind = backendText === 'openai' ? 'openai' : 'llama-cpp'
  const baseUrl = str('base-url') ?? env.MOSS_BASE_URL
  if (backend === 'openai' && baseUrl === undefined) throw new ConfigError('--backend openai needs --base-url URL')
  if (baseUrl !== undefined && !URL.canParse(baseUrl)) throw new ConfigError(`--base-url is not a URL: "${baseUrl}"`)
  const models = (values.model as string[] | undefined) ?? []
  // `auto` reads a GGUF's chat template; a remote server shows none, so there it would always mean moss.
  const format = (str('format') ?? (models.length > 0 && backend === 'llama-cpp' ? 'auto' : 'moss')).toLowerCase()
  if (format !== 'auto' && !Object.hasOwn(FORMAT_FACTORIES, format)) throw new ConfigError(`--format must be auto or one of ${Object.keys(FORMAT_FACTORIES).join(', ')} (got "${format}")`)
  // Grammars constrain a local model's sampler; a server gets text only, so a remote "grammar on" run would be a
  // second, identical run under a false label.
  const grammarText = str('grammar') ?? (backend === 'openai' ? 'off' : 'both')
  const grammar = { on: [true], off: [false], both: [true, false] }[grammarText]
  if (grammar === undefined) throw new ConfigError(`--grammar must be on, off or both (got "${grammarText}")`)
  if (backend === 'openai' && grammar.includes(true)) {
    throw new ConfigError(`--grammar ${grammarText} needs a local model: a remote server takes no grammar from moss-agent (use --grammar off)`)
  }
  const gpuText = str('gpu')
  if (gpuText !== undefined && !['auto', 'cuda', 'vulkan', 'metal', 'off', 'false', 'cpu'].includes(gpuText)) throw new ConfigError(`--gpu must be auto, cuda, vulkan, metal or off (got "${gpuText}")`)
  const gpu = gpuText === undefined ? undefined : ['off', 'false', 'cpu'].includes(gpuText) ? false : (gpuText as 'auto' | 'cuda' | 'vulkan' | 'metal')
  const apiKey = str('api-key') ?? env.MOSS_API_KEY ?? env.OPENAI_API_KEY
  const optional = {
    baseUrl,
    apiKey,
    limit: integer('limit', str('limit'), 1),
    report: str('report'),
    resume: str('resume'),
    threads: integer('threads', str('threads') ?? env.MOSS_THREADS, 1),
    ctx: integer('ctx', str('ctx'), 64),
    maxTokens: integer('max-tokens', str('max-tokens'), 1),
    gpu,
  }
  return {
    models,
    backend,
    format,
    suite: suite ?? '',
    json: values.json === true,
    grammar,
    timeoutMs: integer('timeout-ms', str('timeout-ms'), 1) ?? 120_000,
    concurrency: integer('concurrency', str('concurrency'), 1) ?? 1,
    help,
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<EvalCliOptions>),
  }
}
