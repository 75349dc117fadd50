/** The CLI's resolved configuration: flags first, then environment variables, then defaults. */

import type { ConfigFile } from './config-file.js'

/** Which model backend the CLI drives. */
export type CliBackendKind = 'llama-cpp' | 'openai' | 'hf'

/** Everything a CLI command needs, after parsing and validation. */
export interface CliOptions {
  /** `chat` (the REPL; default), `run` (answer once), `serve` (HTTP server and web page), `help`, `version`. */
  readonly command: 'chat' | 'run' | 'serve' | 'help' | 'version'
  /** The question of `moss run`. */
  readonly question?: string
  /** Backend kind. Defaults to `llama-cpp`. */
  readonly backend: CliBackendKind
  /** GGUF path or `hf:` URI (llama-cpp), or the model name sent to a remote server. Defaults to the bundled model. */
  readonly model?: string
  /** GPU choice for llama-cpp: `auto`, `cuda`, `vulkan`, `metal` or `false`. Defaults to `auto`. */
  readonly gpu?: 'auto' | 'cuda' | 'vulkan' | 'metal' | false
  /** CPU threads for llama-cpp. Defaults to the backend's default. */
  readonly threads?: number
  /** Context size in tokens. Defaults to the backend's default. */
  readonly ctx?: number
  /** Dialogue format name or `auto`. Defaults to `auto` with `--model`, else `moss` (the bundled model). */
  readonly format: string
  /** Meta-instruction language. Defaults to `en`. */
  readonly lang?: 'en' | 'zh'
  /** Sampling temperature. Defaults to the backend's default. */
  readonly temperature?: number
  /** Sampling seed. Defaults to random. */
  readonly seed?: number
  /** Show inner thoughts. Defaults to `true`. */
  readonly thoughts: boolean
  /** `moss run`: print events as JSON lines. Defaults to `false`. */
  readonly json: boolean
  /** OpenAI-compatible server URL (`--backend openai`). */
  readonly baseUrl?: string
  /** API key of the OpenAI-compatible server. */
  readonly apiKey?: string
  /** Hugging Face inference endpoint URL (`--backend hf`). */
  readonly endpoint?: string
  /** Hugging Face token. */
  readonly hfToken?: string
  /** Folder indexed for local search (`--docs`). */
  readonly docs?: string
  /** `moss serve`: port. Defaults to `8080`. */
  readonly port?: number
  /** `moss serve`: address to bind. Defaults to `127.0.0.1`. */
  readonly host?: string
  /** `moss serve`: bearer token required on the API (required when `host` is not loopback). */
  readonly token?: string
  /** `moss serve`: folder of saved sessions. Defaults to `~/.moss/sessions`. */
  readonly sessionsDir?: string
  /** `moss serve`: origins allowed by CORS. Defaults to none (CORS off). */
  readonly corsOrigins?: readonly string[]
  /** Environment handed to the built-in plugins' `*ConfigFromEnv` (flags already merged in). */
  readonly pluginEnv: Readonly<Record<string, string | undefined>>
  /** REPL history file. Defaults to `$MOSS_HISTORY` or `~/.moss_history`. */
  readonly historyFile: string
  /** Plugin modules to load (`--plugin`, repeatable): paths or package names. Defaults to none. */
  readonly pluginModules: readonly string[]
  /** MCP servers to start (`--mcp "command args…"`, repeatable). Defaults to none. */
  readonly mcpCommands: readonly string[]
  /** MCP servers to reach over Streamable HTTP (`--mcp-url`, repeatable). Defaults to none. */
  readonly mcpUrls: readonly string[]
  /** The config file in use (`--config`, or `moss.config.json` in the working directory). */
  readonly config?: ConfigFile
  /** Working directory that relative `--plugin` paths and `moss.config.json` are found from. */
  readonly cwd: string
  /** `MOSS_DEBUG=1`: stack traces and llama.cpp's own log lines on stderr. Defaults to `false`. */
  readonly debug: boolean
  /** Testing hook: JSON file of scripted model outputs (`MOSS_SCRIPTED_OUTPUTS`); replaces the model. */
  readonly scriptedOutputs?: string
}
