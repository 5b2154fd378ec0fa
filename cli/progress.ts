/** Shows "checked N/M" on a terminal while a long run goes on; silent elsewhere. */
export class Progress {
  readonly #stream: NodeJS.WriteStream;
  readonly #total: number;
  readonly #startedAt = Date.now();
  #shown = false;

  constructor(stream: NodeJS.WriteStream, total: number) {
    this.#stream = stream;
    this.#total = total;
  }

  update(done: number): void {
    if (!this.#stream.isTTY || Date.now() - this.#startedAt < 500) return;
    this.#shown = true;
    this.#stream.write(`\r\x1b[2Kchecked ${done}/${this.#total}`);
  }

  clear(): void {
    if (this.#shown) this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}
