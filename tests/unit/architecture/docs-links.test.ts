/**
 * The repository is self-contained: README and docs/ link only to files inside it (or to web addresses), and never
 * to the workplace's `../shared` notes, which a fresh clone does not have.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]

describe('documentation links', () => {
  it.each(DOCS)('%s links only inside the repository', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8')
    expect(text).not.toMatch(/\.\.\/shared|shared\/docs/)
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '')
    for (const target of targets.filter((t) => !/^(https?:|mailto:|#)/.test(t))) {
      expect(existsSync(resolve(ROOT, dirname(doc), target.split('#')[0] ?? '')), `${doc} → ${target}`).toBe(true)
    }
  })

  it('the architecture description exists', () => {
    expect(DOCS).toContain('docs/architecture.md')
  })
})
