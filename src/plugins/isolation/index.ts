export { createIsolationPool } from './pool.js'
export { resolveWorkerModule } from './worker-module.js'
export type { IsolationPool, IsolationPoolOptions, IsolationRunOptions } from './types.js'
