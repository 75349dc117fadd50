/**
 * The first human turn of every MOSS SFT conversation in a folder of MOSS's public SFT data (CC BY-NC 4.0: read at evaluation time
 * only, never copied into the repository, never trained on): the question, the plugins its meta instruction enables,
 * the command MOSS called first (or none) and, for Calculate/Solve, the values MOSS's own results show.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseMossMeta } from '../formats/moss/meta.js'
import { numbersIn } from './builtin-scoring.js'

/** One first turn. */
export interface SftItem {
  /** Path below the data folder. */
  readonly id: string
  /** `plugins` (conversation_with_plugins) or `none` (conversation_without_plugins). */
  readonly group: 'plugins' | 'none'
  /** Sub-folder: calculator, web_search, helpful_conversations, … */
  readonly topic: string
  readonly lang: 'en' | 'zh'
  readonly human: string
  /** Commands the meta instruction enables. */
  readonly enabled: readonly string[]
  /** MOSS's first command, or null for `None`. */
  readonly expected: string | null
  /** Calculate/Solve: the numbers of MOSS's result (empty when it showed none). */
  readonly mossValues: readonly number[]
}

const MARKER = /^<\|Human\|>: ([\s\S]*)<eoh>\n?$/

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.json') ? [path] : []
  })
}

/** Reads the first turns, or `undefined` when the folder is absent. */
export function loadSftFirstTurns(root: string): SftItem[] | undefined {
  if (!existsSync(root)) return undefined
  const items: SftItem[] = []
  for (const [folder, group] of [['conversation_with_plugins', 'plugins'], ['conversation_without_plugins', 'none']] as const) {
    const dir = join(root, folder)
    if (!existsSync(dir)) continue
    for (const path of files(dir)) {
      const data = JSON.parse(readFileSync(path, 'utf8')) as { meta_instruction: string; chat: Record<string, Record<string, string>> }
      const turn = data.chat.turn_1
      const human = MARKER.exec(turn?.Human ?? '')?.[1]
      if (turn === undefined || human === undefined) continue
      const meta = parseMossMeta(data.meta_instruction)
      const enabled = (meta?.lines ?? []).filter((l) => l.enabled && l.command !== undefined).map((l) => l.command as string)
      const commands = (turn.Commands ?? '').replace(/^<\|Commands\|>:\s*/, '').replace(/<eoc>\n?$/, '').trim()
      const command = /^(\w+)\("/.exec(commands)?.[1] ?? null
      // The values after `=>` of the first result entry (its header repeats the argument, which holds numbers too).
      const response = turn['Tool Responses'] ?? ''
      const firstEntry = response.split('=>')[1]?.split(/\n\w+\("/)[0] ?? ''
      const mossValues = command === 'Calculate' || command === 'Solve' ? numbersIn(firstEntry.replace(/<eor>[\s\S]*$/, '')) : []
      items.push({
        id: relative(root, path),
        group,
        topic: relative(dir, path).split('/')[0] ?? '',
        lang: /[\u4e00-\u9fff]/.test(human) ? 'zh' : 'en',
        human,
        enabled,
        expected: command,
        mossValues,
      })
    }
  }
  return items
}
