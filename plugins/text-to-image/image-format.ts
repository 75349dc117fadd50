/**
 * Image type detection from magic bytes; response headers are never trusted. One implementation serves every
 * plugin and MCP image result: it lives in the plugins layer and reaches built-ins through the plugin kit.
 */
export { detectImageFileFormat as detectImageFormat } from '../../src/plugin-kit.js'
export type { ImageFileFormat as ImageFormat } from '../../src/plugin-kit.js'
