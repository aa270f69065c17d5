/** A counting semaphore: at most `max` tasks of one kind run at once, the rest wait in order. */
export class Limiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

/** Runs `fn` over `items` with at most `max` at a time; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  max: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limiter = new Limiter(Math.max(1, max));
  return Promise.all(items.map((item) => limiter.run(() => fn(item))));
}
