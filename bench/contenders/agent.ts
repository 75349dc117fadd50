/**
 * Contender (b): moss-agent — createAgent with the local backend, the bench's forced format (MOSS, or `qwen` in the
 * same-format comparison) and the calculator and solver plugins — driven through the public `Session.ask`.
 */
import { createAgent } from '../../src/agent/index.js'
import { BackendError, BudgetExceededError } from '../../src/errors.js'
import type { BenchEnv } from '../bench-env.js'
import { answerTokenLimit } from '../dialogue.js'
import { RecordingBackend } from '../../src/testing/index.js'
import { GenerationRecorder } from '../generation-recorder.js'
import type { DialogueResult, TurnSample } from '../metrics.js'
import { peakRssMiB } from '../metrics.js'

/**
 * Runs the dialogue through moss-agent. With `answersEndByBudget` the format's answer steps end at their token cap
 * (the same-format dialogue): the agent reports that as a token-budget error event and closes the answer, which is
 * expected there; any other error event fails the run.
 */
export async function runAgent(env: BenchEnv, options: { readonly answersEndByBudget?: boolean } = {}): Promise<DialogueResult> {
  const recorder = new GenerationRecorder()
  env.script.forEach((turn, i) => {
    if (turn.call) recorder.toolTurns.add(i)
  })
  // The agent is not disposed: that would dispose the plugins, which the other contenders share.
  const agent = createAgent({
    backend: new RecordingBackend(env.backend, { observe: (session, request, inner) => recorder.observe(session, request, inner) }),
    plugins: env.plugins,
    format: env.format,
    sampling: env.sampling,
    budgets: { maxTokensPerGeneration: Math.max(256, answerTokenLimit(env.answerChars)) },
  })
  const session = await agent.createSession()
  try {
    const turns: TurnSample[] = []
    let toolCalls = 0
    const started = performance.now()
    for (let i = 0; i < env.script.length; i++) {
      recorder.beginTurn(i)
      const reply = await session.ask((env.script[i] ?? { human: '' }).human)
      const totalMs = performance.now() - recorder.turnStart
      const expected = (error: Error): boolean => options.answersEndByBudget === true && error instanceof BudgetExceededError && error.budget === 'tokens'
      const failure = reply.events.find((e) => e.type === 'error' && !expected(e.error))
      const finish = reply.events.find((e) => e.type === 'turn-finish')
      if (failure?.type === 'error') throw new BackendError(`agent turn ${i + 1} failed: ${failure.error.message}`, { cause: failure.error })
      if (finish?.type !== 'turn-finish' || finish.aborted) throw new BackendError(`agent turn ${i + 1} did not finish`)
      toolCalls += reply.events.filter((e) => e.type === 'tool-result').length
      turns.push({ ttftMs: recorder.ttftMs ?? 0, totalMs, evaluated: finish.usage.evaluated })
    }
    return {
      contender: 'agent',
      e2eMs: performance.now() - started,
      turns,
      generations: recorder.generations,
      resumes: recorder.resumes,
      toolCalls,
      peakRssMiB: peakRssMiB(),
    }
  } finally {
    await session.dispose()
  }
}
