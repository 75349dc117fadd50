/**
 * `--format mistral` and `--format auto` in the CLI on the Mistral-v0.3-shaped random GGUF (tests/helpers/test-model.ts,
 * the official v0.3 template embedded). A random model never ends its answer, so a turn ends on the per-generation
 * token budget: what is checked is that the format is chosen, the prompt is Mistral's and the turn runs to its end.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { getMistralTestModelPath } from '../../helpers/test-model.js'
import { runCli } from './run-cli.js'

const TEMPLATE = join(import.meta.dirname, '../../fixtures/chat-templates/mistralai-Mistral-7B-Instruct-v0.3.jinja')

describe('the mistral format in the CLI', () => {
  let model: string
  beforeAll(async () => {
    model = await getMistralTestModelPath(await readFile(TEMPLATE, 'utf8'))
  }, 120_000)

  const run = async (...extra: string[]) => {
    const result = await runCli(['run', '2+3 等于多少？', '--model', model, '--threads', '1', '--ctx', '2048', '--temperature', '0', '--json', ...extra])
    return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; text?: string; error?: { code: string }; input?: string })
  }

  test('moss run --format mistral runs a turn on the model; --format auto (the default with --model) speaks the same', async () => {
    const events = await run('--format', 'mistral')
    expect(events[0]).toMatchObject({ type: 'turn-start', input: '2+3 等于多少？' })
    expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(0)
    expect(events.at(-1)?.type).toBe('turn-finish')
    expect(events.filter((e) => e.type === 'error').map((e) => e.error?.code)).toEqual(['MOSS_ERR_BUDGET_EXCEEDED'])
    // Greedy decoding of the same prompt gives the same text: auto-detection built the mistral prompt; moss's differs.
    const finish = (list: typeof events) => list.find((e) => e.type === 'turn-finish')?.text
    expect(finish(await run())).toBe(finish(events))
    expect(finish(await run('--format', 'moss'))).not.toBe(finish(events))
  }, 120_000)
})
