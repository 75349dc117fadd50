/** Values a careless or hostile plugin can throw (or return) that break naive error handling. */
export function hostileValues(): ReadonlyArray<readonly [string, () => unknown]> {
  return [
    ['an object whose toString throws', () => ({ toString: () => { throw new Error('no toString') } })],
    ['Object.create(null)', () => Object.create(null) as unknown],
    [
      'a Proxy that throws on every access',
      () => new Proxy({}, {
        get: () => { throw new Error('trap: get') },
        getPrototypeOf: () => { throw new Error('trap: getPrototypeOf') },
        has: () => { throw new Error('trap: has') },
        ownKeys: () => { throw new Error('trap: ownKeys') },
        getOwnPropertyDescriptor: () => { throw new Error('trap: descriptor') },
      }),
    ],
    [
      'an Error whose message getter throws',
      () => {
        const error = new Error('hidden')
        Object.defineProperty(error, 'message', { get: () => { throw new Error('no message') } })
        return error
      },
    ],
    ['a Symbol', () => Symbol('thrown')],
    ['undefined', () => undefined],
  ]
}
