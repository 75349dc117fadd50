/**
 * The tiny model's input map (src/backends/llama-cpp/input-map.ts): the characters people type in arithmetic that
 * its vocabulary has no piece for, each read as the ASCII the model was trained on. Written into the GGUF by
 * export.ts and applied to the training texts by build-data.ts, so training and run time see the same text.
 */

/** Candidate characters and what they read as: full-width ASCII forms, the ideographic space, math signs. */
function candidates(): [string, string][] {
  const pairs: [string, string][] = []
  // U+FF01–U+FF5E are ASCII U+0021–U+007E in full width. Brackets, `<`, `>`, `|`, `\` and the backtick are left
  // alone: mapped, they could spell markers that untrusted text must not contain (the runtime refuses them too).
  for (let code = 0xff01; code <= 0xff5e; code++) {
    const ascii = String.fromCharCode(code - 0xfee0)
    if (!'<>|[]{}\\`'.includes(ascii)) pairs.push([String.fromCharCode(code), ascii])
  }
  pairs.push(['\u3000', ' '], ['×', '*'], ['÷', '/'], ['−', '-'], ['∗', '*'], ['⁄', '/'])
  // Superscript digits are powers in what people type (`x²`): `^n`, which the calculator and solver read.
  const superscripts = '⁰¹²³⁴⁵⁶⁷⁸⁹'
  for (const [digit, ch] of [...superscripts].entries()) pairs.push([ch, `^${digit}`])
  return pairs
}

/** The map for a vocabulary: the candidates it has no piece for (a character with a piece is read as trained). */
export function inputMapFor(tokens: readonly string[]): Record<string, string> {
  const pieces = new Set(tokens)
  return Object.fromEntries(candidates().filter(([ch]) => !pieces.has(ch)))
}
