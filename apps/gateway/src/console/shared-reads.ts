/**
 * Answers computed once and shared by everyone who asks for the same key within `shareMs`, including those who
 * ask while it is being computed. For what many people of one agency poll at once (the inbox's first page, the
 * navigation's counts): each gateway then reads the database once per agency and view per `shareMs`, however
 * many people have the page open. A failed computation is not kept. Bounded: past `maxKeys`, the oldest go.
 */
export class SharedReads<V> {
  private readonly entries = new Map<string, { expires: number; value: Promise<V> }>();

  constructor(
    private readonly shareMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  read(key: string, compute: () => Promise<V>, now = Date.now()): Promise<V> {
    if (this.shareMs <= 0) return compute();
    const kept = this.entries.get(key);
    if (kept && kept.expires > now) return kept.value;
    if (kept) this.entries.delete(key);
    while (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    const entry = { expires: now + this.shareMs, value: compute() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }
}
