/**
 * Dialogue formats: MOSS (default), Qwen/Hermes/ChatML, Llama 3, GLM-4 and ChatGLM3, behind {@link DialogueFormat}.
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
export { createChatGlm3Format, readChatGlm3Call, toolCallSource, CHATGLM3, CHATGLM3_TOOL_SYSTEM } from './chatglm3/format.js'
export { createGlm4Format, glm4CallSpan, glm4Tools, readGlm4Call, GLM4 } from './glm4/format.js'
export { createGlmFamilyFormat, readSegments, GLM_ROLES, type GlmSpec, type ReadCall } from './glm/family.js'
export { createGlmScanner, type GlmScannerMarkers } from './glm/scanner.js'
export { parsePythonLiteral, parsePythonKeywordCall, type LiteralValue } from './common/py-literal.js'
export { getFormat, FORMAT_FACTORIES } from './get-format.js'
export { pythonJson } from './common/py-json.js'
export { createTagScanner, type TagScannerMarkers } from './common/marker-scanner.js'
export { createQwenFormat, QWEN25_DEFAULT_SYSTEM } from './qwen/format.js'
export { createHermesFormat, hermesTool, pythonTypeOf } from './hermes/format.js'
export { createChatMlFamilyFormat, readAssistant, CHATML_MARKERS, type ChatMlSpec } from './chatml/family.js'
export { readToolCallJson, type ReadToolCall } from './common/tool-call-json.js'
export { createRoundTracker, DEFAULT_MAX_TOOL_ROUNDS, type RoundTracker } from './common/rounds.js'
export { createLlama3Format, splitCallTexts, LLAMA3, LLAMA3_ARGUMENTS_KEY, LLAMA3_DEFAULT_DATE } from './llama3/format.js'
export { llama3CallSpan, LLAMA3_ANSWER_LEAD, LLAMA3_MAX_CALLS_PER_MESSAGE } from './llama3/call-grammar.js'
export type { Llama3SpanMarkers } from './llama3/call-grammar.js'
export { detectFormat, type DetectedFormat } from './detect.js'
export { createMistralFormat, mistralCallId, availableTools, resultContent, contentJson, mistralCallSpan, MISTRAL_MARKERS, MISTRAL_NEUTRALISE_RULES } from './mistral/format.js'
export { readMistralOutput, splitListItems, type MistralReading, type MistralItem } from './mistral/read-calls.js'
