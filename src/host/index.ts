/** The session host: many conversations of one agent behind ids, with a store, an LRU of live sessions and images by id. */
export { createSessionHost } from './session-host.js'
export type { HostSendOptions, SessionHost, SessionHostOptions, SessionHostStats } from './session-host.js'
export { createFileSessionStore } from './session-store.js'
export type { SessionStore } from './session-store.js'
export { errorToPlain, eventToJson, eventToPlain } from './event-json.js'
export type { EventJsonOptions, ImageRef } from './event-json.js'
