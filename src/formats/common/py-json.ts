/**
 * JSON as Python's `json.dumps(value, ensure_ascii=False)` writes it (what Hugging Face chat templates' `tojson`
 * produces): `, ` and `: ` separators, optional indentation, non-ASCII kept.
 */
export function pythonJson(value: unknown, indent?: number, depth = 0): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value)
  const pad = indent !== undefined ? `\n${' '.repeat(indent * (depth + 1))}` : ''
  const end = indent !== undefined ? `\n${' '.repeat(indent * depth)}` : ''
  const sep = indent !== undefined ? ',' : ', '
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[${pad}${value.map((v) => pythonJson(v, indent, depth + 1)).join(sep + pad)}${end}]`
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  if (entries.length === 0) return '{}'
  return `{${pad}${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v, indent, depth + 1)}`).join(sep + pad)}${end}}`
}
