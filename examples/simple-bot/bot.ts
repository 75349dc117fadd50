/**
 * A minimal bot over the SDK: one session, a few questions, the answer streamed as it is generated.
 *
 * Run it with `npx tsc -p examples/simple-bot && node examples/simple-bot/dist/bot.js [model.gguf]`.
 */
import { createAgent, createLlamaCppBackend } from 'moss-agent'
import type { ModelBackend } from 'moss-agent'
import { calculator, equationSolver } from 'moss-agent/plugins'

/** Asks each question in one conversation and prints the streamed answers. */
export async function chat(backend: ModelBackend, questions: readonly string[], write: (text: string) => void): Promise<void> {
  const agent = createAgent({ backend, plugins: [calculator(), equationSolver()] })
  const session = await agent.createSession()
  try {
    for (const question of questions) {
      write(`> ${question}\n`)
      for await (const event of session.send(question)) {
        if (event.type === 'text-delta') write(event.text)
        if (event.type === 'tool-call') write(`[${event.name}(${event.input})]\n`)
        if (event.type === 'error') write(`\n(error: ${event.error.message})`)
      }
      write('\n')
    }
  } finally {
    await session.dispose()
    await agent.dispose()
  }
}

// Run directly (not when imported by the test).
if (import.meta.url === `file://${process.argv[1]}`) {
  const backend = await createLlamaCppBackend({ ...(process.argv[2] ? { model: process.argv[2] } : {}), threads: 1 })
  try {
    await chat(backend, ['What is 23 * 47?', '解方程 x^2 - 5x + 6 = 0'], (text) => process.stdout.write(text))
  } finally {
    await backend.dispose()
  }
}
