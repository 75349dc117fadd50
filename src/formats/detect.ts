/**
 * `format: 'auto'`: the dialogue format of a model, chosen from its chat template (`tokenizer.chat_template`) and,
 * without one, its architecture; MOSS when nothing points elsewhere. The template is read for the markers only its
 * family writes — never rendered, never executed.
 */
import type { ModelInfo } from '../prompt.js'
import type { FormatOptions } from './types.js'

/** The format chosen for a model, and why. */
export interface DetectedFormat {
  /** A name of the format registry: `moss`, `qwen`, `hermes`, `llama3`, `mistral`, `chatml`, `glm4`, `chatglm3`. */
  readonly format: string
  /** Options the template implies (Qwen's variant). */
  readonly options: FormatOptions
  /** One line saying why, for the REPL banner. */
  readonly reason: string
  /** `false` when the template has no tool support: the model chats with plugins off. */
  readonly tools: boolean
}

interface Rule {
  readonly test: (template: string) => boolean
  readonly format: string
  readonly options?: FormatOptions
  readonly reason: string
  readonly tools?: boolean
}

const has = (...needles: string[]) => (template: string) => needles.every((needle) => template.includes(needle))

/** Template rules, most specific first. */
const TEMPLATE_RULES: readonly Rule[] = [
  { test: (t) => has('<|Human|>')(t) || has('<eoh>')(t), format: 'moss', reason: 'its chat template writes MOSS markers (<|Human|>, <eoh>)' },
  { test: has('You are a function calling AI model', '<tool_call>'), format: 'hermes', reason: 'its chat template has the Hermes tool_use preamble' },
  { test: has('<|im_start|>', '<tool_call>', '<think>'), format: 'qwen', options: { variant: 'qwen3' }, reason: 'its chat template writes <tool_call> and <think> (Qwen3/QwQ)' },
  { test: has('<|im_start|>', '<tool_call>'), format: 'qwen', options: { variant: 'qwen2.5' }, reason: 'its chat template writes <tool_call> without <think> (Qwen2.5)' },
  { test: has('<|start_header_id|>', 'ipython'), format: 'llama3', reason: 'its chat template has Llama 3.1/3.2 tool calls (ipython)' },
  { test: has('<|start_header_id|>'), format: 'llama3', tools: false, reason: 'its chat template is Llama 3 without tool calls' },
  { test: (t) => has('[AVAILABLE_TOOLS]')(t) || has('[TOOL_CALLS]')(t), format: 'mistral', reason: 'its chat template has Mistral v0.3 tool calls ([AVAILABLE_TOOLS], [TOOL_CALLS])' },
  { test: has('[gMASK]<sop>'), format: 'glm4', reason: 'its chat template is GLM-4 ([gMASK]<sop>, <|observation|> results)' },
  { test: has('[gMASK]sop'), format: 'chatglm3', reason: 'its chat template is ChatGLM3 ([gMASK]sop)' },
  { test: has('<|im_start|>'), format: 'chatml', tools: false, reason: 'its chat template is ChatML without tool calls' },
]

/** Architecture rules, when the GGUF has no chat template. */
const ARCHITECTURE_RULES: Readonly<Record<string, Omit<Rule, 'test' | 'reason'>>> = {
  qwen2: { format: 'qwen', options: { variant: 'qwen2.5' } },
  qwen3: { format: 'qwen', options: { variant: 'qwen3' } },
  // llama.cpp's `chatglm` architecture holds GLM-4 and ChatGLM3; ChatGLM3 GGUFs carry their template (rule above).
  chatglm: { format: 'glm4' },
}

/** Chooses the format for a model; `available` is the format registry's names (a rule naming another is skipped). */
export function detectFormat(info: ModelInfo | undefined, available: readonly string[]): DetectedFormat {
  const template = info?.chatTemplate
  if (template !== undefined && template !== '') {
    for (const rule of TEMPLATE_RULES) {
      if (rule.test(template) && available.includes(rule.format)) {
        return { format: rule.format, options: rule.options ?? {}, reason: rule.reason, tools: rule.tools ?? true }
      }
    }
    return { format: 'moss', options: {}, reason: 'its chat template matches no known format; MOSS is the default', tools: true }
  }
  const architecture = info?.architecture
  const byArchitecture = architecture !== undefined ? ARCHITECTURE_RULES[architecture] : undefined
  if (byArchitecture && available.includes(byArchitecture.format)) {
    return { format: byArchitecture.format, options: byArchitecture.options ?? {}, reason: `no chat template; architecture ${architecture}`, tools: byArchitecture.tools ?? true }
  }
  return { format: 'moss', options: {}, reason: info === undefined ? 'the backend does not describe its model; MOSS is the default' : 'no chat template in the model; MOSS is the default', tools: true }
}
