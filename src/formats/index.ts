/**
 * Dialogue formats: MOSS (default), ChatML/Hermes and ChatGLM3, behind {@link DialogueFormat}.
 */
export type * from './types.js'
export * from './moss/index.js'
export { neutraliseMarkers, containsMarker, DEFAULT_NEUTRALISE_RULES, USER_TEXT_NEUTRALISE_RULES, type NeutraliseRules, type MarkerFamily } from './neutralise.js'
export { pythonRepr, unescapePythonString } from './python-repr.js'
export { formatSearchHits, parseSearchHits, type SearchHit } from './search-hits.js'
export {
  checkMossSample,
  checkMossText,
  mossSampleText,
  pluginsFromMossMeta,
  runMossConformance,
  findSampleFiles,
  MOSS_SAMPLE_FIELDS,
  type ConformanceReport,
  type ConformanceResult,
} from './conformance.js'
export { createChatMlFormat, parseToolCallBlocks, CHATML } from './chatml/format.js'
export { createChatGlm3Format, parseToolCallArguments, CHATGLM3 } from './chatglm3/format.js'
export { getFormat, FORMAT_FACTORIES } from './get-format.js'
export { pythonJson } from './common/py-json.js'
export { createTagScanner, type TagScannerMarkers } from './common/marker-scanner.js'
export { createQwenFormat, QWEN25_DEFAULT_SYSTEM } from './qwen/format.js'
export { createHermesFormat, hermesTool, pythonTypeOf } from './hermes/format.js'
export { createChatMlFamilyFormat, readAssistant, CHATML_MARKERS, type ChatMlSpec } from './chatml/family.js'
export { readToolCallJson, type ReadToolCall } from './common/tool-call-json.js'
export { createRoundTracker, DEFAULT_MAX_TOOL_ROUNDS, type RoundTracker } from './common/rounds.js'
export { createLlama3Format, splitCallTexts, LLAMA3, LLAMA3_DEFAULT_DATE } from './llama3/format.js'
export { detectFormat, type DetectedFormat } from './detect.js'
export { createMistralFormat, mistralCallId, availableTools, resultContent, contentJson, mistralCallSpan, MISTRAL_MARKERS, MISTRAL_NEUTRALISE_RULES } from './mistral/format.js'
export { readMistralOutput, splitListItems, type MistralReading, type MistralItem } from './mistral/read-calls.js'
