/**
 * How the REPL shows plugin sources (MCP servers, plugin modules that are sources): one banner line naming the
 * active ones, and the `/plugins` listing grouped by source.
 */
import type { Agent, Plugin, PluginSourceInfo } from '../index.js'

/** A description's first line, cut to 100 characters (MCP servers write paragraphs). */
function firstLine(text: string): string {
  const line = text.split('\n')[0]?.trim() ?? ''
  return line.length > 100 ? `${line.slice(0, 99)}…` : line
}

function statusText(source: PluginSourceInfo): string {
  const { state, detail } = source.status
  if (state === 'ready') return `${source.tools.length} tool${source.tools.length === 1 ? '' : 's'}`
  return detail !== undefined ? `${state}: ${detail}` : state
}

/** The banner line, or none when the agent has no plugin sources. */
export function sourceBanner(agent: Agent): string[] {
  if (agent.sources.length === 0) return []
  return [`plugin sources: ${agent.sources.map((source) => `${source.name} (${statusText(source)})`).join(', ')}`]
}

/**
 * The `/plugins` listing: each plugin with its switch in this session (`on`/`off`), the agent's own plugins first,
 * then each source with its description, status and tools.
 */
export function pluginListing(agent: Agent, enabled: ReadonlySet<string>): string[] {
  const fromSources = new Set(agent.sources.flatMap((source) => source.tools.map((tool) => tool.name)))
  const width = Math.min(32, Math.max(18, ...agent.plugins.map((plugin) => plugin.name.length + 2)))
  const line = (plugin: Plugin, indent: string): string => {
    const command = plugin.command === plugin.name ? '' : `${plugin.command}: `
    const why = plugin.unavailable !== undefined ? ` (unavailable: ${plugin.unavailable})` : ''
    return `${indent}[${enabled.has(plugin.name) ? 'on ' : 'off'}] ${`${plugin.name} `.padEnd(width)}${command}${firstLine(plugin.description)}${why}`
  }
  const lines = agent.plugins.filter((plugin) => !fromSources.has(plugin.name)).map((plugin) => line(plugin, '  '))
  for (const source of agent.sources) {
    lines.push(`  ${source.name} — ${source.description} (${statusText(source)})`)
    for (const tool of source.tools) lines.push(line(tool, '    '))
  }
  if (lines.length === 0) lines.push('  (no plugins)')
  return lines
}
