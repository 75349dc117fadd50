/** `moss serve` as a library: the hono app and a Node server with graceful shutdown. */
export { createServerApp } from './app.js'
export type { ServerAppOptions } from './app.js'
export { startServer } from './start-server.js'
export type { RunningServer, StartServerOptions } from './start-server.js'
export { SESSION_HEADER } from './chat-completions.js'
