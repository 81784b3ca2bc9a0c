/** A Map that forgets its least recently used entry beyond `limit` entries. */
export class Lru<V> {
  readonly #entries = new Map<string, V>()
  constructor(readonly limit: number) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  set(key: string, value: V) {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.limit) break
      this.#entries.delete(oldest)
    }
  }

  delete(key: string) {
    this.#entries.delete(key)
  }

  clear() {
    this.#entries.clear()
  }
}
