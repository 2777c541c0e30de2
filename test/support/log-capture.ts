/**
 * Captures what the in-process services write to stdout (pretty log lines) instead of printing it, so
 * tests can assert on the logs: correlation ids present, message content absent.
 */
export class LogCapture {
  private chunks: string[] = [];
  private original?: typeof process.stdout.write;

  start(): this {
    this.original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof process.stdout.write;
    return this;
  }

  text(): string {
    return this.chunks.join('');
  }

  stop(): void {
    if (this.original) process.stdout.write = this.original;
  }
}
