/**
 * The layer rules of the architecture: each layer imports only the layers below it, built-in plugins use only the
 * public API, and no shipped file reaches outside `src/` and `plugins/` (a fresh clone has no `../shared`, and an
 * npm install has no `tests/`). A failure names the file, the import and the rule it breaks.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * Lines a source file may have. Set just above the largest file today (src/backends/llama-cpp/session.ts, 332);
 * a file that outgrows it should be split by concept, not the limit raised.
 */
const MAX_LINES = 400

/** A shipped source file (`.ts`, or a plugin's child-side `.mjs`), by its package-relative `/` path. */
interface SourceFile {
  readonly path: string
  readonly text: string
}

/** One import edge: `specifier` as written, `target` its package-relative path when relative. */
interface ImportEdge {
  readonly from: string
  readonly specifier: string
  readonly target?: string
}

function listSources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return listSources(path)
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : []
  })
}

const files: SourceFile[] = [...listSources('src'), ...listSources('plugins')].map((path) => ({
  path,
  text: readFileSync(join(ROOT, path), 'utf8'),
}))

/** Static imports, `export … from`, `import type` and literal dynamic `import()`, via the compiler's own scanner. */
function importsOf(file: SourceFile): ImportEdge[] {
  const { importedFiles } = ts.preProcessFile(file.text, true, true)
  return importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { from: file.path, specifier }
    const absolute = resolve(ROOT, dirname(file.path), specifier).replace(/\.js$/, '.ts')
    return { from: file.path, specifier, target: relative(ROOT, absolute).split(sep).join('/') }
  })
}

const edges = files.flatMap(importsOf)
const internal = edges.filter((edge) => edge.target !== undefined)
const external = edges.filter((edge) => edge.target === undefined)

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`)

/** The built-in plugin a path belongs to (`plugins/search/local/scan.ts` → `search`), if any. */
function pluginName(path: string): string | undefined {
  const match = /^plugins\/([^/]+)\//.exec(path)
  return match?.[1]
}

/** What a file may import, by where it lives. The first rule whose `files` matches applies. */
interface LayerRule {
  readonly name: string
  readonly files: (path: string) => boolean
  readonly allows: (target: string, from: string) => boolean
}

const isErrors = (p: string) => p === 'src/errors.ts'
const isPrompt = (p: string) => p === 'src/prompt.ts'
const isUtil = under('src/util')
const isBackends = under('src/backends')
const isPluginsLayer = under('src/plugins')
const isFormats = under('src/formats')
const isMcp = under('src/mcp')
const isAgent = under('src/agent')
const isHost = under('src/host')
const isServer = under('src/server')
const isCli = under('src/cli')
const isTesting = under('src/testing')
const isSrc = under('src')

const RULES: readonly LayerRule[] = [
  { name: 'src/errors.ts imports nothing internal', files: isErrors, allows: () => false },
  { name: 'src/prompt.ts (the text contract of formats and backends) imports nothing internal', files: isPrompt, allows: () => false },
  { name: 'src/util imports only src/util and src/errors.ts', files: isUtil, allows: (t) => isUtil(t) || isErrors(t) },
  {
    name: 'src/backends imports only src/backends, src/prompt.ts, src/errors.ts and src/util',
    files: isBackends,
    allows: (t) => isBackends(t) || isPrompt(t) || isErrors(t) || isUtil(t),
  },
  {
    name: 'src/plugins imports only src/plugins, src/prompt.ts, src/errors.ts and src/util',
    files: isPluginsLayer,
    allows: (t) => isPluginsLayer(t) || isPrompt(t) || isErrors(t) || isUtil(t),
  },
  {
    name: 'src/mcp (the MCP client, a plugin source) imports only src/mcp, src/plugins, src/errors.ts and src/util',
    files: isMcp,
    allows: (t) => isMcp(t) || isPluginsLayer(t) || isErrors(t) || isUtil(t),
  },
  {
    name: 'src/formats imports only src/formats, src/plugins, src/prompt.ts, src/errors.ts and src/util (never src/backends)',
    files: isFormats,
    allows: (t) => isFormats(t) || isPluginsLayer(t) || isPrompt(t) || isErrors(t) || isUtil(t),
  },
  {
    name: 'src/agent imports only the layers below it (not src/cli, src/testing or the src/index.ts barrel)',
    files: isAgent,
    allows: (t) => isAgent(t) || isFormats(t) || isPluginsLayer(t) || isBackends(t) || isPrompt(t) || isErrors(t) || isUtil(t),
  },
  {
    name: 'src/host imports only src/host and the layers below it (not src/server, src/cli, src/testing or the barrel)',
    files: isHost,
    allows: (t) => isHost(t) || isAgent(t) || isFormats(t) || isPluginsLayer(t) || isBackends(t) || isPrompt(t) || isErrors(t) || isUtil(t),
  },
  {
    name: 'src/server imports only src/server, src/host and the layers below (not src/cli, src/testing or the barrel)',
    files: isServer,
    allows: (t) =>
      isServer(t) || isHost(t) || isAgent(t) || isFormats(t) || isPluginsLayer(t) || isBackends(t) || isPrompt(t) || isErrors(t) || isUtil(t),
  },
  { name: 'src/testing imports only src', files: isTesting, allows: (t) => isSrc(t) },
  { name: 'src/cli imports only src and plugins/index.ts', files: isCli, allows: (t) => isSrc(t) || t === 'plugins/index.ts' },
  {
    name: 'src/plugin-kit.ts re-exports the plugins layer, errors and formats/search-hits (never a backend)',
    files: (p) => p === 'src/plugin-kit.ts',
    allows: (t) => isPluginsLayer(t) || isErrors(t) || t === 'src/formats/search-hits.ts',
  },
  {
    name: 'src/index.ts re-exports the library layers (not src/cli or src/testing, which has its own entry)',
    files: (p) => p === 'src/index.ts',
    allows: (t) => isSrc(t) && !isCli(t) && !isTesting(t),
  },
  {
    name: 'src/internals.ts re-exports the library layers (not src/cli or src/testing)',
    files: (p) => p === 'src/internals.ts',
    allows: (t) => isSrc(t) && !isCli(t) && !isTesting(t),
  },
  {
    name: 'plugins/index.ts re-exports only the built-in plugins',
    files: (p) => p === 'plugins/index.ts',
    allows: (t) => pluginName(t) !== undefined,
  },
  {
    name: "plugins/<name> imports only '../../src/plugin-kit.js', its own folder and plugins/shared",
    files: (p) => pluginName(p) !== undefined,
    allows: (t, from) => t === 'src/plugin-kit.ts' || pluginName(t) === pluginName(from) || under('plugins/shared')(t),
  },
]

function ruleFor(path: string): LayerRule | undefined {
  return RULES.find((rule) => rule.files(path))
}

/** Formats offending edges one a line, so that the failure message is the fix list. */
function report(offenders: readonly ImportEdge[], why: (edge: ImportEdge) => string): string[] {
  return offenders.map((edge) => `${edge.from}: import '${edge.specifier}' — ${why(edge)}`)
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}
const runtimePackages = new Set([
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
  ...Object.keys(manifest.optionalDependencies ?? {}),
])

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

describe('architecture: layers import only downward', () => {
  it('scans a plausible tree (guards against a broken glob passing vacuously)', () => {
    expect(files.length).toBeGreaterThan(50)
    expect(internal.length).toBeGreaterThan(100)
    for (const path of ['src/errors.ts', 'src/index.ts', 'plugins/index.ts']) expect(files.map((f) => f.path)).toContain(path)
  })

  it('every source file falls under a layer rule', () => {
    const unruled = files.map((f) => f.path).filter((path) => ruleFor(path) === undefined)
    expect(unruled, `files outside every layer rule (add a rule): \n${unruled.join('\n')}`).toEqual([])
  })

  it('every relative import follows the rule of its layer', () => {
    const offenders = internal.filter((edge) => !ruleFor(edge.from)?.allows(edge.target ?? '', edge.from))
    const lines = report(offenders, (edge) => `resolves to ${edge.target}; rule: ${ruleFor(edge.from)?.name ?? 'none'}`)
    expect(lines, `layer violations:\n${lines.join('\n')}`).toEqual([])
  })

  it('no shipped file imports outside src/ and plugins/ (no ../shared, tests/, tools/, bench/, examples/)', () => {
    const offenders = internal.filter((edge) => !isSrc(edge.target ?? '') && !under('plugins')(edge.target ?? ''))
    const lines = report(offenders, (edge) => `resolves to ${edge.target}, which a published package does not contain`)
    expect(lines, `imports leaving the package:\n${lines.join('\n')}`).toEqual([])
  })

  it('no source file mentions the workplace ../shared folder', () => {
    const offenders = files.filter((f) => f.path.startsWith('src/') && /\.\.\/shared\b/.test(f.text)).map((f) => f.path)
    expect(offenders, `src files mentioning ../shared (a fresh clone has none):\n${offenders.join('\n')}`).toEqual([])
  })

  it('bare imports are node: builtins or runtime dependencies from package.json', () => {
    const builtins = new Set(builtinModules)
    const offenders = external.filter((edge) => {
      if (edge.specifier.startsWith('node:')) return false
      return builtins.has(edge.specifier) || !runtimePackages.has(packageOf(edge.specifier))
    })
    const lines = report(offenders, (edge) =>
      builtins.has(edge.specifier) ? `use 'node:${edge.specifier}'` : 'not in dependencies or peerDependencies',
    )
    expect(lines, `bare imports that are neither node: builtins nor runtime dependencies:\n${lines.join('\n')}`).toEqual([])
  })
})

describe('architecture: small files', () => {
  it(`no source file is longer than ${MAX_LINES} lines`, () => {
    const offenders = files
      .map((f) => ({ path: f.path, lines: f.text.split('\n').length }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.path}: ${f.lines} lines`)
    expect(offenders, `files over ${MAX_LINES} lines (split them by concept):\n${offenders.join('\n')}`).toEqual([])
  })
})

describe('architecture: the rule table itself', () => {
  // The rules are code too: check that each one rejects what it should, so a typo cannot make a rule vacuous.
  it.each([
    ['src/errors.ts', 'src/util/package-root.ts'],
    ['src/backends/types.ts', 'src/plugins/types.ts'],
    ['src/plugins/runner.ts', 'src/backends/llama-cpp/index.ts'],
    ['src/plugins/runner.ts', 'src/formats/types.ts'],
    ['src/formats/types.ts', 'src/agent/types.ts'],
    ['src/formats/types.ts', 'src/backends/types.ts'],
    ['src/prompt.ts', 'src/backends/types.ts'],
    ['src/plugin-kit.ts', 'src/backends/llama-cpp/index.ts'],
    ['plugins/search/index.ts', 'src/index.ts'],
    ['src/agent/session.ts', 'src/cli/main.ts'],
    ['src/agent/session.ts', 'src/testing/index.ts'],
    ['src/agent/session.ts', 'src/index.ts'],
    ['src/agent/session.ts', 'src/host/session-host.ts'],
    ['src/host/session-host.ts', 'src/server/app.ts'],
    ['src/host/session-host.ts', 'src/cli/main.ts'],
    ['src/server/app.ts', 'src/cli/main.ts'],
    ['src/server/app.ts', 'src/testing/index.ts'],
    ['src/cli/main.ts', 'plugins/search/index.ts'],
    ['src/index.ts', 'src/cli/main.ts'],
    ['plugins/search/index.ts', 'src/plugins/types.ts'],
    ['plugins/search/index.ts', 'plugins/calculator/index.ts'],
  ])('%s may not import %s', (from, target) => {
    expect(ruleFor(from)?.allows(target, from)).toBe(false)
  })

  it.each([
    ['src/plugins/types.ts', 'src/prompt.ts'],
    ['src/formats/types.ts', 'src/prompt.ts'],
    ['src/agent/run-turn.ts', 'src/formats/types.ts'],
    ['src/cli/main.ts', 'plugins/index.ts'],
    ['src/host/session-host.ts', 'src/agent/types.ts'],
    ['src/server/app.ts', 'src/host/index.ts'],
    ['src/cli/serve.ts', 'src/server/index.ts'],
    ['plugins/search/local/scan.ts', 'src/plugin-kit.ts'],
    ['plugins/calculator/index.ts', 'plugins/shared/normalize-math.ts'],
  ])('%s may import %s', (from, target) => {
    expect(ruleFor(from)?.allows(target, from)).toBe(true)
  })
})
