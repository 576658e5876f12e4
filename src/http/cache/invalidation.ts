/**
 * How content changes reach every instance's page cache. In-process by default; with
 * several app servers a Redis pub/sub bus implements the same interface, so every
 * instance drops the same tags.
 */
export interface InvalidationBus {
  publish(tags: readonly string[]): Promise<void>;
  subscribe(listener: (tags: readonly string[]) => void): () => void;
  close(): Promise<void>;
}

export function createLocalInvalidationBus(): InvalidationBus {
  const listeners = new Set<(tags: readonly string[]) => void>();
  return {
    async publish(tags) {
      for (const l of listeners) l(tags);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
