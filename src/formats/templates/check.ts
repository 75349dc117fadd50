/**
 * Template conformance: every conversation of the fixed set, played through a format, must be byte-identical to the
 * model's own Jinja chat template rendering the same conversation (@huggingface/jinja, as transformers renders it).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Template } from '@huggingface/jinja'
import { describeError } from '../../errors.js'
import { getFormat } from '../get-format.js'
import type { FormatOptions } from '../types.js'
import { contentJson, mistralCallId } from '../mistral/format.js'
import { SCRIPT_CONVERSATIONS, SCRIPT_SYSTEM, SCRIPT_TOOLS, openAiMessages, type MessageShape, type ScriptConversation } from './conversations.js'
import { glmMessages } from './glm-messages.js'
import { MODEL_WRITERS, playConversation } from './play.js'

/** A template file and the format (with options) that must match it. */
export interface TemplateCase {
  readonly file: string
  readonly format: string
  readonly options: FormatOptions
  /** Extra template variables (BOS/EOS text, Llama's fixed date). */
  readonly context: Readonly<Record<string, unknown>>
  /** How "no tools" is passed: an empty list (Hermes: the JS port cannot loop over undefined) or nothing. */
  readonly noTools?: 'empty' | 'absent'
  /** The template takes one call per assistant message (Llama 3). */
  readonly oneCallPerMessage?: boolean
  /** Call ids and result contents as the format writes them into the messages (Mistral). */
  readonly shape?: Pick<MessageShape, 'callId' | 'resultContent'>
  /**
   * The template renders the system message only while the user message is the last message (Mistral): each turn's
   * first prompt is checked against the template ending at its user message, and the finished conversation against
   * the template with the system text folded into the last user message, where mistral-common keeps it.
   */
  readonly foldsSystemIntoLastUser?: boolean
  /** The conversation in the template's native message shape (GLM), instead of OpenAI messages and `tools`. */
  readonly messages?: (conversation: ScriptConversation) => Record<string, unknown>[]
  /**
   * The stop marker the model ends its last answer with, which the template writes only as the next message's role
   * token (GLM's `<|user|>`): the format's transcript ends with it.
   */
  readonly trailing?: string
  /** A documented edit of the template before rendering (see {@link CHATGLM3_METADATA}). */
  readonly patch?: (source: string) => string
}

/**
 * ChatGLM3's Jinja template drops a message's `metadata` — the tool name of a call — which THUDM's tokenizer
 * (`build_single_message`, what the model was trained on) writes right after the role token. The conformance renders
 * the template with exactly that added; the conversations without calls match the unmodified template too.
 */
export const CHATGLM3_METADATA = (source: string): string =>
  source.replaceAll("<|{{ message['role'] }}|>\n", "<|{{ message['role'] }}|>{{ message['metadata'] or '' }}\n")

/** The templates of the conformance data and their formats. */
export const TEMPLATE_CASES: readonly TemplateCase[] = [
  { file: 'Qwen-Qwen2.5-7B-Instruct.jinja', format: 'qwen', options: { variant: 'qwen2.5' }, context: { eos_token: '<|im_end|>' } },
  { file: 'Qwen-Qwen3-8B.jinja', format: 'qwen', options: { variant: 'qwen3' }, context: { eos_token: '<|im_end|>' } },
  { file: 'NousResearch-Hermes-3-Llama-3.1-8B.jinja', format: 'hermes', options: {}, context: { bos_token: '<|begin_of_text|>', eos_token: '<|im_end|>' }, noTools: 'empty' },
  ...['meta-llama-Llama-3.1-8B-Instruct.jinja', 'meta-llama-Llama-3.2-3B-Instruct.jinja'].map((file) => ({
    file,
    format: 'llama3',
    options: { date: '26 Jul 2024' },
    context: { bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>', date_string: '26 Jul 2024' },
    oneCallPerMessage: true,
  })),
  {
    file: 'mistralai-Mistral-7B-Instruct-v0.3.jinja',
    format: 'mistral',
    options: {},
    context: { bos_token: '<s>', eos_token: '</s>' },
    shape: { callId: (turn, n) => mistralCallId(`call_${turn}_${n}`), resultContent: contentJson },
    foldsSystemIntoLastUser: true,
  },
  { file: 'THUDM-glm-4-9b-chat.jinja', format: 'glm4', options: {}, context: { eos_token: '<|endoftext|>' }, messages: (c) => glmMessages(c, 'glm4'), trailing: '<|user|>' },
  {
    file: 'THUDM-chatglm3-6b.jinja',
    format: 'chatglm3',
    options: {},
    context: { eos_token: '</s>' },
    messages: (c) => glmMessages(c, 'chatglm3'),
    trailing: '<|user|>',
    patch: CHATGLM3_METADATA,
  },
]

/** One checked pair. */
export interface TemplateResult {
  readonly file: string
  readonly conversation: string
  readonly ok: boolean
  /** First differing offset, or why the pair could not be checked. */
  readonly detail?: string
}

/** Renders `conversation` with the Jinja template `source`. */
export function renderWithTemplate(
  source: string,
  conversation: ScriptConversation,
  entry: Pick<TemplateCase, 'context' | 'noTools' | 'oneCallPerMessage' | 'shape' | 'messages'>,
  shape: Pick<MessageShape, 'foldSystem' | 'untilUserOf'> = {},
): string {
  if (entry.messages) return new Template(source).render({ messages: entry.messages(conversation), add_generation_prompt: false, ...entry.context })
  // Python's Jinja loops over an undefined `tools` as over nothing where the JS port throws: Hermes gets `[]`.
  const noTools = entry.noTools === 'empty' ? { tools: [] } : {}
  return new Template(source).render({
    messages: openAiMessages(conversation, { ...entry.shape, ...shape, oneCallPerMessage: entry.oneCallPerMessage ?? false }),
    ...(conversation.tools ? { tools: SCRIPT_TOOLS.map((tool) => ({ type: 'function', function: tool })) } : noTools),
    add_generation_prompt: false,
    ...entry.context,
  })
}

function firstDifference(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/** Checks every case whose template file is in `dir`; missing files are skipped. */
export async function runTemplateConformance(dir: string): Promise<{ results: TemplateResult[]; missing: string[] }> {
  const results: TemplateResult[] = []
  const missing: string[] = []
  for (const entry of TEMPLATE_CASES) {
    let source: string
    try {
      source = await readFile(join(dir, entry.file), 'utf8')
    } catch {
      missing.push(entry.file)
      continue
    }
    const writer = MODEL_WRITERS[entry.format]
    for (const conversation of SCRIPT_CONVERSATIONS) {
      try {
        if (!writer) throw new Error(`no model writer for format ${entry.format}`)
        const fold = entry.foldsSystemIntoLastUser === true
        const starts: string[] = []
        const actual = playConversation(getFormat(entry.format, { ...entry.options, system: SCRIPT_SYSTEM }), writer, conversation, undefined, (prompt) => starts.push(prompt))
        const template = entry.patch ? entry.patch(source) : source
        const pairs: Array<[string, string, string]> = [['', actual, renderWithTemplate(template, conversation, entry, { foldSystem: fold }) + (entry.trailing ?? '')]]
        if (fold) starts.forEach((prompt, turn) => pairs.push([`turn ${turn + 1} prompt, `, prompt, renderWithTemplate(template, conversation, entry, { untilUserOf: turn })]))
        const wrong = pairs.find(([, got, want]) => got !== want)
        const ok = wrong === undefined
        const at = wrong ? firstDifference(wrong[1], wrong[2]) : 0
        const detail = wrong ? `${wrong[0]}offset ${at}: format ${JSON.stringify(wrong[1].slice(at, at + 40))} vs template ${JSON.stringify(wrong[2].slice(at, at + 40))}` : undefined
        results.push({ file: entry.file, conversation: conversation.name, ok, ...(detail !== undefined ? { detail } : {}) })
      } catch (error) {
        results.push({ file: entry.file, conversation: conversation.name, ok: false, detail: describeError(error) })
      }
    }
  }
  return { results, missing }
}
