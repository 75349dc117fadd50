/**
 * moss-agent: plugin-augmented dialogue agents in the style of MOSS.
 *
 * Layers, from the top: agent (sessions, the turn loop) → formats (MOSS, ChatML/Hermes, ChatGLM3) → plugins
 * (definePlugin, registry, runner, isolation) → backends (llama.cpp in-process, remote servers).
 */
export * from './errors.js'
export * from './agent/index.js'
export * from './formats/index.js'
export * from './plugins/index.js'
export * from './backends/index.js'
export * from './backends/llama-cpp/index.js'
export * from './backends/remote/index.js'
