/** The `moss --help` text. */
import { FORMAT_CHOICES } from './args.js'
import { PLUGIN_FLAGS } from './plugin-flags.js'

/** Column where option descriptions start. */
export const HELP_COLUMN = 33

/** One option row: `left` from column 2, `right` from {@link HELP_COLUMN} (on the next line when `left` is too wide). */
function row(left: string, right: string): string {
  const head = `  ${left}`
  if (head.length <= HELP_COLUMN - 2) return `${head.padEnd(HELP_COLUMN)}${right}`
  return `${head}\n${' '.repeat(HELP_COLUMN)}${right}`
}

/** Usage text printed by `moss --help`. */
export function helpText(): string {
  return [
    'Usage: moss [chat] [options]          chat in the terminal',
    '       moss run "question" [options]  answer once and exit (--json: events as JSON lines)',
    '       moss serve [options]           HTTP API, OpenAI-compatible endpoint and web chat page',
    '',
    'Model:',
    row('-m, --model PATH|hf:URI|NAME', 'GGUF file or hf: URI; a model name for remote backends [MOSS_MODEL]'),
    row('', '(default: the bundled offline model models/tiny-moss.gguf)'),
    row('--backend llama-cpp|openai|hf', 'where the model runs (default llama-cpp) [MOSS_BACKEND]'),
    row('--base-url URL, --api-key KEY', 'OpenAI-compatible server [MOSS_BASE_URL, MOSS_API_KEY]'),
    row('--endpoint URL, --hf-token T', 'Hugging Face inference endpoint [MOSS_HF_ENDPOINT, HF_TOKEN]'),
    row('--gpu auto|cuda|vulkan|metal|false', 'auto uses a GPU when one works, else the CPU (default auto) [MOSS_GPU]'),
    row('--threads N, --ctx N', 'CPU threads, context size in tokens [MOSS_THREADS, MOSS_CTX]'),
    row('--temperature T, --seed N', 'sampling [MOSS_TEMPERATURE, MOSS_SEED]'),
    row(`--format ${FORMAT_CHOICES.join('|')}`, 'dialogue format [MOSS_FORMAT]'),
    row('', 'default: auto with --model (from the GGUF chat template), moss for the bundled model'),
    row('--lang en|zh', 'meta-instruction language (default en) [MOSS_LANG]'),
    '',
    'Plugins (calculator and equation solver are on by default; /plugins in the REPL switches any plugin):',
    row('--docs DIR', 'search the documents in DIR, offline [MOSS_SEARCH_DOCS]'),
    ...PLUGIN_FLAGS.map((f) => row(`--${f.flag} ${f.value}`, `${f.help} [${f.env}]`)),
    row('--plugin FILE|PACKAGE', 'load plugins from a module (repeatable)'),
    row('--mcp "COMMAND ARGS…"', 'start an MCP server over stdio and offer its tools (repeatable)'),
    row('--mcp-url URL', 'connect to an MCP server over Streamable HTTP (repeatable)'),
    row('--config FILE', 'settings, plugins and MCP servers (default ./moss.config.json) [MOSS_CONFIG]'),
    '',
    'Serve:',
    '  --port N, --host ADDR          listen address (default 127.0.0.1:8080) [MOSS_SERVE_PORT, MOSS_SERVE_HOST]',
    '  --token T                      bearer token for /v1/* (required off loopback) [MOSS_SERVE_TOKEN]',
    '  --sessions DIR                 saved sessions (default ~/.moss/sessions) [MOSS_SESSIONS]',
    '  --cors ORIGINS                 comma-separated origins allowed by CORS (default off) [MOSS_SERVE_CORS]',
    '',
    'Display:',
    row('--no-thoughts', 'hide inner thoughts [MOSS_NO_THOUGHTS=1]'),
    row('--history FILE', 'REPL history file (default ~/.moss_history) [MOSS_HISTORY]'),
    row('--json', 'moss run: print events as JSON lines'),
    row('-h, --help, -v, --version', 'this text; the version'),
    '',
    'Colours follow NO_COLOR and FORCE_COLOR. MOSS_DEBUG=1 adds stack traces and llama.cpp\'s own messages.',
    'In the REPL: /help lists commands; end a line with \\ to continue it; Ctrl-C stops an answer; Ctrl-D exits.',
  ].join('\n')
}
