import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkMossText, findSampleFiles, mossSampleText, runMossConformance } from '../../../src/formats/index.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/moss/', import.meta.url))

describe('MOSS conformance on hand-written samples', () => {
  it('re-renders every fixture byte for byte, results included', async () => {
    const report = await runMossConformance(FIXTURES)
    expect(report.total).toBeGreaterThanOrEqual(4)
    expect(report.failures).toEqual([])
    expect(report.passed).toBe(report.total)
    expect(report.resultsExact).toBe(report.resultsTotal)
  })

  it('notices a one-byte change', async () => {
    const [file] = await findSampleFiles(FIXTURES)
    const text = mossSampleText(JSON.parse(await readFile(file!, 'utf8')))
    expect(checkMossText(text).ok).toBe(true)
    // A meta instruction that differs from the packaged prompt (an extra space) must fail.
    expect(checkMossText(text.replace('mutiple', 'multiple')).ok).toBe(false)
    expect(checkMossText(text.replace('<eom>\n', '<eom>\n\n')).ok).toBe(false)
  })
})
