/** @module Concurrency helpers of the per-user agent: a semaphore and a single flight. */

/** At most `limit` tasks at once; the rest wait in arrival order. */
export class Semaphore {
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get active(): number {
    return this.#active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active += 1;
    try {
      return await task();
    } finally {
      this.#active -= 1;
      this.#waiting.shift()?.();
    }
  }
}

/** Shares one in-flight promise among concurrent callers (single flight). */
export class SingleFlight<T> {
  #current: Promise<T> | undefined;

  run(task: () => Promise<T>): Promise<T> {
    this.#current ??= task().finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }
}
