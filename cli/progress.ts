/** Shows "checked N/M" on a terminal while a long run goes on; silent elsewhere. */
export class Progress {
  readonly #stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;
  readonly #total: number;
  readonly #now: () => number;
  readonly #startedAt: number;
  #shown = false;

  constructor(
    stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>,
    total: number,
    now: () => number = Date.now,
  ) {
    this.#stream = stream;
    this.#total = total;
    this.#now = now;
    this.#startedAt = now();
  }

  /** Shows the count once the run has taken half a second (short runs stay quiet). */
  update(done: number): void {
    if (!this.#stream.isTTY || this.#now() - this.#startedAt < 500) return;
    this.#shown = true;
    this.#stream.write(`\r\x1b[2Kchecked ${done}/${this.#total}`);
  }

  clear(): void {
    if (this.#shown) this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}
