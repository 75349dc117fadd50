/**
 * The service lines (which search and image services the plugins use) are written once, in src/cli/banner.ts: the
 * REPL banner and `moss serve`'s `/v1/info` (and the web page, which shows `/v1/info`) read the same function, so
 * their words cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { serviceLines } from '../../../src/cli/banner.js'
import { createCliPlugins } from '../../../src/cli/build-agent.js'
import { parseCliArgs } from '../../../src/cli/args.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Every shipped source file under `dir` (TypeScript, the page's scripts and markup). */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js|html)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
}

describe('service lines', () => {
  const plugins = createCliPlugins(parseCliArgs(['chat'], { MOSS_IMAGE_BACKEND: 'none' }))

  it('name the default search and the missing image backend', () => {
    expect(serviceLines(plugins)).toEqual([
      'search: Wikipedia (needs the internet; offline, --docs DIR searches your own files)',
      'images: off (no image backend configured; see --image-backend in moss --help)',
    ])
  })

  it('are worded in one file only', () => {
    const files = [...sources('src'), ...sources('plugins'), ...sources('web')]
    for (const phrase of ['needs the internet', 'no image backend configured;', 'searches your own files']) {
      const holders = files.filter((file) => readFileSync(join(ROOT, file), 'utf8').includes(phrase))
      expect(holders, phrase).toEqual(['src/cli/banner.ts'])
    }
  })
})
