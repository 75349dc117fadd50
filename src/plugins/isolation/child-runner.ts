/**
 * Source of the child-side runner. It is passed to `node --input-type=module -e`, so no file has to be located next
 * to the compiled pool (the same code works from TypeScript sources under vitest and from `dist/`). It imports the
 * worker module named in `MOSS_ISOLATION_MODULE` and answers `run` messages one at a time.
 */
export const CHILD_RUNNER_SOURCE = `
const send = (message) => { if (process.connected) process.send(message) }
let handlers
try {
  const mod = await import(process.env.MOSS_ISOLATION_MODULE)
  handlers = mod.handlers
  if (!handlers || typeof handlers !== 'object') throw new Error('the worker module exports no "handlers" object')
} catch (error) {
  send({ type: 'fatal', message: String((error && error.message) || error) })
  process.exit(70)
}
process.on('message', async (message) => {
  if (!message || message.type !== 'run') return
  const { id, handler, input } = message
  const fn = Object.prototype.hasOwnProperty.call(handlers, handler) ? handlers[handler] : undefined
  if (typeof fn !== 'function') {
    send({ type: 'result', id, ok: false, error: { name: 'Error', message: 'Unknown handler "' + handler + '"' } })
    return
  }
  try {
    const value = await fn(input)
    send({ type: 'result', id, ok: true, value: value === undefined ? null : value })
  } catch (error) {
    const name = (error && error.name) || 'Error'
    send({ type: 'result', id, ok: false, error: { name: String(name), message: String((error && error.message) || error) } })
  }
})
process.on('disconnect', () => process.exit(0))
send({ type: 'ready' })
`
