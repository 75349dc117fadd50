/**
 * The REPL's opening lines: which model runs, and which search and image services the plugins will use, so a
 * person knows before asking what a search or an image request will reach (offline, the default Wikipedia search
 * cannot work, and saying so up front beats a failed call later).
 */
import type { Agent, Plugin } from '../index.js'

/** Services as people name them. */
const SERVICE_LABEL: Readonly<Record<string, string>> = {
  local: 'your documents (--docs)',
  wikipedia: 'Wikipedia (needs the internet)',
  searxng: 'SearxNG',
  brave: 'Brave Search',
  tavily: 'Tavily',
  serper: 'Serper (Google)',
  huggingface: 'Hugging Face',
  sdapi: 'Stable Diffusion server',
  openai: 'OpenAI-style images API',
}

const label = (name: string): string => SERVICE_LABEL[name] ?? name

/** One line per service plugin: what it uses, or how to turn it on. */
export function serviceLines(plugins: readonly Plugin[]): string[] {
  const lines: string[] = []
  const search = plugins.find((plugin) => plugin.name === 'search')
  if (search) {
    const names = Array.isArray(search.config.backends) ? search.config.backends.map(String) : []
    if (!search.enabled || names.length === 0) lines.push('search: off (--docs DIR searches your own files; --search-backend for the web)')
    else if (names.length === 1 && names[0] === 'wikipedia') {
      lines.push('search: Wikipedia (needs the internet; offline, --docs DIR searches your own files)')
    } else lines.push(`search: ${names.map(label).join(' + ')}`)
  }
  const image = plugins.find((plugin) => plugin.name === 'text-to-image')
  if (image) {
    const backend = typeof image.config.backend === 'string' ? image.config.backend : 'none'
    if (backend === 'none') lines.push('images: off (no image backend configured; see --image-backend in moss --help)')
    else lines.push(`images: ${label(backend)}${image.enabled ? '' : ' (disabled)'}`)
  }
  return lines
}

/** The banner printed when the REPL starts on a terminal. */
export function bannerText(backendDescription: string, plugins: readonly Plugin[], formatLine?: string): string {
  return [
    `moss: ${backendDescription}.`,
    ...(formatLine !== undefined ? [`  ${formatLine}`] : []),
    ...serviceLines(plugins).map((line) => `  ${line}`),
    'Type /help for commands.',
  ].join('\n')
}

/** The banner line saying which format speaks to the model and why (and that plugins are off when the template has no tools). */
export function formatBanner(agent: Pick<Agent, 'format' | 'formatChoice'>): string {
  const choice = agent.formatChoice
  if (!choice) return `format ${agent.format.name}.`
  const off = choice.tools ? '' : ' Plugins are off: the model\'s chat template has no tool calls.'
  return `format ${agent.format.name} (auto: ${choice.reason}).${off}`
}

