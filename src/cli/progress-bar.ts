/**
 * A one-line progress bar for model download and load, redrawn in place on a terminal; elsewhere (pipes, logs)
 * it prints a line at each 25 % step so scripts are not flooded with carriage returns.
 */

/** Where the bar is drawn. */
export interface ProgressTarget {
  write(text: string): unknown
  readonly isTTY?: boolean
}

const WIDTH = 24

/** Creates a progress reporter labelled `label`; call it with a fraction in [0, 1], then `done()`. */
export function createProgressBar(out: ProgressTarget, label: string): { update(fraction: number): void; done(): void } {
  let lastStep = -1
  let drawn = false
  return {
    update(fraction: number) {
      const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0))
      const percent = Math.floor(f * 100)
      if (out.isTTY) {
        const filled = Math.round(f * WIDTH)
        out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(percent).padStart(3)}%`)
        drawn = true
        return
      }
      const step = Math.floor(percent / 25)
      if (step > lastStep) {
        lastStep = step
        out.write(`${label} ${percent}%\n`)
      }
    },
    done() {
      if (drawn) out.write('\n')
      drawn = false
    },
  }
}
