/**
 * Test helpers, published as `moss-agent/testing`: a scripted fake model and event helpers.
 */
export { ScriptedBackend } from './scripted-backend.js'
export type { ScriptedBackendOptions } from './scripted-backend.js'
export { ScriptedSession } from './scripted-session.js'
export type { ScriptedOutput, ScriptedStep } from './scripted-output.js'
export { approxTokens, approxPartTokens, CHARS_PER_TOKEN } from './approx-tokens.js'
export { collectEvents, eventsOfType, streamedText } from './collect-events.js'
export { RecordingBackend, RecordingSession } from './recording-backend.js'
export type { GenerationObserver, RecordedCall, RecordingBackendOptions } from './recording-backend.js'
