/**
 * Command-line options of `npm run bench`. Defaults fit one run in a few minutes on 2 shared cores: the project's
 * tiny model (when present) and the ~25M random model, 10 turns, every contender.
 */
import { InvalidInputError } from '../src/errors.js'
import type { GpuChoice } from '../src/backends/llama-cpp/device.js'

/** `--gpu` values: `cpu` (the default) or a device llama.cpp can use. */
export const GPU_CHOICES = ['cpu', 'auto', 'cuda', 'vulkan', 'metal'] as const

/** The four contenders of the issue: (a) raw loop, (b) moss-agent, (c) MOSS reference loop, (d) LlamaChatSession. */
export const CONTENDERS = ['raw', 'agent', 'reference', 'chat-session'] as const
export type ContenderName = (typeof CONTENDERS)[number]

/** Parsed bench options. */
export interface BenchOptions {
  /** Model names (see MODEL_SPECS) or GGUF paths. Defaults to `tiny` (skipped when absent) and `25m`. */
  readonly models: readonly string[]
  /** CPU threads for every contender. Defaults to `1` (fastest for small models on these machines). */
  readonly threads: number
  /** Dialogue turns. Defaults to `10`. */
  readonly turns: number
  /** Contenders to run. Defaults to all four. */
  readonly contenders: readonly ContenderName[]
  /** Characters of every forced answer. Defaults to `48`. */
  readonly answerChars: number
  /** Concurrency levels for the aggregate measurement. Defaults to `1,2,4,8`; empty skips it. */
  readonly concurrency: readonly number[]
  /** Tokens each concurrent session generates. Defaults to `128`. */
  readonly concurrencyTokens: number
  /** Interleaved backend/bare rounds per concurrency level; the median round is reported. Defaults to `3`. */
  readonly concurrencyRounds: number
  /** Plugin calls for the latency percentiles. Defaults to `200`; `0` skips them. */
  readonly pluginCalls: number
  /** Tokens of each paired decoding round (`generation_vs_raw`). Defaults to `128`. */
  readonly microTokens: number
  /** Runs of every dialogue (order rotated each time); the median run is reported. Defaults to `1`. */
  readonly repeats: number
  /** Sampling seed shared by every contender. Defaults to `1234`. */
  readonly seed: number
  /** Tokens of each generation of the grammar-cost measurement on the 151k vocabulary. Defaults to `64`; `0` skips it. */
  readonly grammarTokens: number
  /** Interleaved rounds of the grammar-cost measurement (after a warm-up). Defaults to `5`. */
  readonly grammarRounds: number
  /** Tokens of the long prompt of the mixed load (two sessions generate meanwhile). Defaults to `2000`; `0` skips it. */
  readonly mixedPromptTokens: number
  /**
   * Run the same-format comparison (the `qwen` dialogue on the Qwen3-vocabulary model, moss-agent vs LlamaChatSession
   * with QwenChatWrapper) when the contenders include `agent` and `chat-session`. Defaults to `true`.
   */
  readonly sameFormat: boolean
  /** Device of every backend: `false` (CPU, the default), `'auto'`, `'cuda'`, `'vulkan'` or `'metal'`. */
  readonly gpu: GpuChoice
  /** Print one JSON object instead of the table. Defaults to `false`. */
  readonly json: boolean
}

const HELP = `usage: node dist/bench/run.js [options]
  --models a,b     tiny | 25m | 125m | 500m | path.gguf | none   (default: tiny,25m; tiny is skipped when absent)
  --threads n      CPU threads (default 1)
  --turns n        dialogue turns (default 10)
  --contenders l   raw,agent,reference,chat-session (default: all)
  --answer-chars n characters of each answer (default 48)
  --concurrency l  sessions for the aggregate measurement (default 1,2,4,8; "none" skips)
  --concurrency-tokens n  tokens per concurrent session (default 128)
  --concurrency-rounds n  interleaved backend/bare rounds per level, median reported (default 3)
  --plugin-calls n calls per plugin for latency percentiles (default 200; 0 skips)
  --micro-tokens n tokens per paired decoding round for generation_vs_raw (default 128)
  --repeats n      runs of every dialogue, order rotated, median reported (default 1)
  --grammar-tokens n  tokens per generation of the grammar cost on the 151k vocabulary (default 64; 0 skips)
  --grammar-rounds n  interleaved rounds of the grammar cost (default 5)
  --mixed-prompt-tokens n  long prompt of the mixed load, 2 sessions generating meanwhile (default 2000; 0 skips)
  --same-format on|off  qwen-format dialogue on the Qwen3-vocabulary model, agent vs chat-session (default on)
  --gpu d          cpu | auto | cuda | vulkan | metal (default cpu; the report names the device used)
  --seed n         sampling seed (default 1234)
  --json           one JSON object on stdout
  --help`

function positiveInt(name: string, value: string | undefined, min = 1): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new InvalidInputError(`${name} needs an integer ≥ ${min} (got ${String(value)})`)
  return n
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0)
}

/** Whether the same-format comparison runs: it is on and both of its contenders are selected. */
export function runsSameFormat(options: Pick<BenchOptions, 'sameFormat' | 'contenders'>): boolean {
  return options.sameFormat && options.contenders.includes('agent') && options.contenders.includes('chat-session')
}

/** Parses argv (without `node` and the script). Returns `undefined` after printing help. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | undefined {
  const options: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = {
    models: ['tiny', '25m'],
    threads: 1,
    turns: 10,
    contenders: [...CONTENDERS],
    answerChars: 48,
    concurrency: [1, 2, 4, 8],
    concurrencyTokens: 128,
    concurrencyRounds: 3,
    pluginCalls: 200,
    repeats: 1,
    microTokens: 128,
    seed: 1234,
    grammarTokens: 64,
    grammarRounds: 5,
    mixedPromptTokens: 2000,
    sameFormat: true,
    gpu: false,
    json: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = (): string | undefined => argv[++i]
    switch (flag) {
      case '--models': {
        const raw = value()
        options.models = raw === 'none' ? [] : list(raw)
        break
      }
      case '--threads': options.threads = positiveInt(flag, value()); break
      case '--turns': options.turns = positiveInt(flag, value()); break
      case '--answer-chars': options.answerChars = positiveInt(flag, value()); break
      case '--concurrency-tokens': options.concurrencyTokens = positiveInt(flag, value()); break
      case '--concurrency-rounds': options.concurrencyRounds = positiveInt(flag, value()); break
      case '--plugin-calls': options.pluginCalls = positiveInt(flag, value(), 0); break
      case '--micro-tokens': options.microTokens = positiveInt(flag, value(), 2); break
      case '--repeats': options.repeats = positiveInt(flag, value()); break
      case '--seed': options.seed = positiveInt(flag, value(), 0); break
      case '--grammar-tokens': options.grammarTokens = positiveInt(flag, value(), 0); break
      case '--grammar-rounds': options.grammarRounds = positiveInt(flag, value()); break
      case '--json': options.json = true; break
      case '--mixed-prompt-tokens': options.mixedPromptTokens = positiveInt(flag, value(), 0); break
      case '--same-format': {
        const raw = value()
        if (raw !== 'on' && raw !== 'off') throw new InvalidInputError(`--same-format needs on or off (got ${String(raw)})`)
        options.sameFormat = raw === 'on'
        break
      }
      case '--gpu': {
        const raw = value()
        if (!(GPU_CHOICES as readonly string[]).includes(raw ?? '')) throw new InvalidInputError(`--gpu needs one of ${GPU_CHOICES.join(', ')} (got ${String(raw)})`)
        options.gpu = raw === 'cpu' ? false : (raw as GpuChoice)
        break
      }
      case '--concurrency': {
        const raw = value()
        options.concurrency = raw === 'none' ? [] : list(raw).map((n) => positiveInt(flag, n))
        break
      }
      case '--contenders': {
        const names = list(value())
        for (const name of names) {
          if (!(CONTENDERS as readonly string[]).includes(name)) throw new InvalidInputError(`Unknown contender "${name}" (${CONTENDERS.join(', ')})`)
        }
        options.contenders = names as ContenderName[]
        break
      }
      case '--help':
      case '-h':
        process.stdout.write(`${HELP}\n`)
        return undefined
      default:
        throw new InvalidInputError(`Unknown option "${String(flag)}"\n${HELP}`)
    }
  }
  if (options.models.length === 0 && options.grammarTokens === 0 && !runsSameFormat(options)) {
    throw new InvalidInputError('--models needs at least one model (or "none" with the grammar cost or the same-format comparison on)')
  }
  return options
}
