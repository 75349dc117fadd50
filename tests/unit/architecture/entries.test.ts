/** The root entry stays lean: building blocks (conformance, grammars, parsers, markers, the runner) live in internals. */
import { describe, expect, it } from 'vitest'
import * as internals from '../../../src/internals.js'
import * as root from '../../../src/index.js'

const INTERNAL = ['runMossConformance', 'checkMossText', 'mossSampleText', 'buildMossCommandsGrammar', 'createMossScanner', 'MOSS_END', 'parseMossResults', 'runPluginCalls', 'createPluginRegistry', 'SESSION_FILE_VERSION']

describe('package entries', () => {
  it('the root exports the public API only', () => {
    const names = Object.keys(root)
    for (const name of INTERNAL) expect(names, name).not.toContain(name)
    for (const name of ['createAgent', 'createMossFormat', 'definePlugin', 'createLlamaCppBackend', 'createOpenAICompatibleBackend', 'MossError']) {
      expect(names).toContain(name)
    }
    expect(names.length).toBeLessThanOrEqual(60)
  })

  it('moss-agent/internals has the building blocks', () => {
    for (const name of INTERNAL) expect(Object.keys(internals), name).toContain(name)
  })
})
