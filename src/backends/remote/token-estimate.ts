/**
 * Token estimate for servers whose tokenizer is not available locally. Han, kana, hangul and full-width forms are
 * about one token per character in the tokenizers of Chinese-capable models (MOSS, Qwen, ChatGLM), while other text
 * averages about three characters per token; counting the two apart keeps Chinese dialogues from being
 * underestimated threefold.
 */

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u

/** Estimated token count of `text`: one per wide character plus one per three other characters (rounded up). */
export function estimateTokens(text: string): number {
  let wide = 0
  let narrow = 0
  for (const char of text) {
    if (WIDE.test(char)) wide++
    else narrow++
  }
  return wide + Math.ceil(narrow / 3)
}
