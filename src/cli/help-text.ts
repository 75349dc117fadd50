/** The `moss --help` text. */
import { PLUGIN_FLAGS } from './plugin-flags.js'

/** Usage text printed by `moss --help`. */
export function helpText(): string {
  const pluginLines = PLUGIN_FLAGS.map((f) => `  --${f.flag.padEnd(22)}${f.help} [${f.env}]`)
  return [
    'Usage: moss [chat] [options]          chat in the terminal',
    '       moss run "question" [options]  answer once and exit (--json: events as JSON lines)',
    '',
    'Model:',
    '  -m, --model PATH|hf:URI|NAME   GGUF file or hf: URI; a model name for remote backends [MOSS_MODEL]',
    '                                 (default: the bundled offline model models/tiny-moss.gguf)',
    '  --backend llama-cpp|openai|hf  where the model runs (default llama-cpp) [MOSS_BACKEND]',
    '  --base-url URL, --api-key KEY  OpenAI-compatible server [MOSS_BASE_URL, MOSS_API_KEY]',
    '  --endpoint URL, --hf-token T   Hugging Face inference endpoint [MOSS_HF_ENDPOINT, HF_TOKEN]',
    '  --gpu auto|cuda|vulkan|metal|false   [MOSS_GPU]',
    '  --threads N, --ctx N           CPU threads, context size in tokens [MOSS_THREADS, MOSS_CTX]',
    '  --temperature T, --seed N      sampling [MOSS_TEMPERATURE, MOSS_SEED]',
    '  --format moss|chatml|chatglm3  dialogue format (default moss) [MOSS_FORMAT]',
    '  --lang en|zh                   meta-instruction language (default en) [MOSS_LANG]',
    '',
    'Plugins (calculator and equation solver are always on):',
    '  --docs DIR                     index DIR for local search [MOSS_SEARCH_DOCS]',
    ...pluginLines,
    '  --plugin FILE|PACKAGE          load plugins from a module (repeatable)',
    '  --mcp "COMMAND ARGS…"          start an MCP server over stdio and offer its tools (repeatable)',
    '  --mcp-url URL                  connect to an MCP server over Streamable HTTP (repeatable)',
    '  --config FILE                  settings, plugins and MCP servers (default ./moss.config.json) [MOSS_CONFIG]',
    '',
    'Display:',
    '  --no-thoughts                  hide inner thoughts [MOSS_NO_THOUGHTS=1]',
    '  --history FILE                 REPL history file (default ~/.moss_history) [MOSS_HISTORY]',
    '  --json                         moss run: print events as JSON lines',
    '  -h, --help, -v, --version',
    '',
    'In the REPL: /help lists commands; end a line with \\ to continue it; Ctrl-C stops an answer; Ctrl-D exits.',
  ].join('\n')
}
