/** Seeded randomness and the train/test split of phrasing tables. */

/** Which set a dialogue belongs to: test phrasings are never used for training. */
export type Split = 'train' | 'test'

/** A small seeded generator (mulberry32), so every data set can be rebuilt exactly. */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }
  /** One element. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }
}

/**
 * Picks a phrasing for a split: every fifth entry of a table (index 4, 9, …) is held out for the test set, the rest
 * is training material. Tables shorter than five entries are shared.
 */
export function pickFor<T>(rng: Rng, items: readonly T[], split: Split): T {
  if (items.length < 5) return rng.pick(items)
  const pool = items.filter((_, i) => (i % 5 === 4) === (split === 'test'))
  return rng.pick(pool)
}

/** Fills `{name}` slots. */
export function fill(template: string, slots: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => slots[k] ?? m)
}

/** Language of a dialogue turn. */
export type Lang = 'en' | 'zh'
