import type { PluginDefinition } from '../plugins/types.js'
import fs from 'fs'
export type X = PluginDefinition | typeof fs
