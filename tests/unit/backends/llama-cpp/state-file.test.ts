import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SIDECAR_VERSION, readSidecar, restoreMismatch } from '../../../../src/backends/llama-cpp/state-file.js'
import type { StateSidecar } from '../../../../src/backends/llama-cpp/state-file.js'

const SAVED: StateSidecar = {
  version: SIDECAR_VERSION,
  model: 'model-a',
  contextSize: 256,
  sequences: 2,
  cachedTokens: 3,
  tokens: [1, 2, 3, 4],
  segments: [{ text: '你好，世界', trusted: false, start: 1, end: 4 }],
}
const TARGET = { model: 'model-a', contextSize: 256, sequences: 2, parts: [{ text: '你好，世界', trusted: false }] }

describe('restoreMismatch (decided from the sidecar, before any load)', () => {
  it('accepts the same model, context shape and parts', () => {
    expect(restoreMismatch(SAVED, TARGET)).toBeUndefined()
  })

  it('refuses another sequence count even with the same per-sequence context size', () => {
    expect(restoreMismatch(SAVED, { ...TARGET, sequences: 1 })).toBe('sequences')
  })

  it('names each other mismatch', () => {
    expect(restoreMismatch(undefined, TARGET)).toBe('no-sidecar')
    expect(restoreMismatch(SAVED, { ...TARGET, model: 'model-b' })).toBe('model')
    expect(restoreMismatch(SAVED, { ...TARGET, contextSize: 512 })).toBe('context-size')
    expect(restoreMismatch(SAVED, { ...TARGET, parts: [{ text: '你好,世界', trusted: false }] })).toBe('transcript')
    expect(restoreMismatch(SAVED, { ...TARGET, parts: [{ text: '你好，世界', trusted: true }] })).toBe('transcript')
  })
})

describe('readSidecar', () => {
  it('reads the current version and drops a version-1 sidecar, which lacks the sequence count', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moss-sidecar-'))
    try {
      await writeFile(join(dir, 'now.bin.json'), JSON.stringify(SAVED))
      expect(await readSidecar(join(dir, 'now.bin'))).toEqual(SAVED)
      const { sequences: _dropped, ...legacy } = SAVED
      await writeFile(join(dir, 'old.bin.json'), JSON.stringify({ ...legacy, version: 1 }))
      expect(await readSidecar(join(dir, 'old.bin'))).toBeUndefined()
      expect(await readSidecar(join(dir, 'absent.bin'))).toBeUndefined()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
