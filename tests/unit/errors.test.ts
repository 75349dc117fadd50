import { describe, expect, it } from 'vitest'
import { ConfigError, MossError, PluginError, describeError } from '../../src/errors.js'

describe('MossError', () => {
  it('carries a stable code, its class name and the cause', () => {
    const cause = new Error('root')
    const error = new ConfigError('bad option', { cause })
    expect(error.code).toBe('MOSS_ERR_CONFIG')
    expect(error.name).toBe('ConfigError')
    expect(error.cause).toBe(cause)
    expect(error).toBeInstanceOf(MossError)
  })

  it('is recognised through its brand even without instanceof', () => {
    const error = new PluginError('calc', 'boom', { code: 'MOSS_ERR_PLUGIN_TIMEOUT' })
    const foreign = Object.assign(Object.create(null) as object, { message: 'x' })
    expect(MossError.isInstance(error)).toBe(true)
    expect(MossError.isInstance(new Error('plain'))).toBe(false)
    expect(MossError.isInstance(foreign)).toBe(false)
    expect(error.code).toBe('MOSS_ERR_PLUGIN_TIMEOUT')
    expect(describeError(error)).toBe('boom')
    expect(describeError(42)).toBe('42')
  })
})
