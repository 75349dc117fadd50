import { describe, expect, it } from 'vitest'
import { ConfigError, MossError, PluginError, describeError } from '../../src/errors.js'
import { hostileValues } from '../helpers/hostile-values.js'

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

describe('describeError', () => {
  it.each(hostileValues())('never throws, for %s', (_name, make) => {
    const text = describeError(make())
    expect(typeof text).toBe('string')
    expect(text.length).toBeGreaterThan(0)
  })

  it('keeps what can be read: messages, strings, numbers', () => {
    expect(describeError(new TypeError('kaputt'))).toBe('kaputt')
    expect(describeError('plain')).toBe('plain')
    expect(describeError(Object.create(null))).toBe('a thrown object that cannot be printed')
  })
})
