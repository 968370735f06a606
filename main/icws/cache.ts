/**
 * Client-side caches of subscription data, honouring `isDelta` exactly as ICWS defines it:
 * `isDelta: false` clears the cache for that subscription and replaces it with the message's data;
 * `isDelta: true` updates only the properties the message gives and leaves the others as they are.
 */
import { isObject } from '../../preload/contract/guards';

export type Properties = Record<string, unknown>;

/** Keys of a message envelope, never data. */
const ENVELOPE = new Set(['__type', 'isDelta']);

/** One object per subscription (the station information). */
export class PropertyCache<T extends Properties = Properties> {
  private value: T | null = null;

  get current(): T | null {
    return this.value;
  }

  /** `data === null` means the subscription's object is gone (no station). */
  apply(isDelta: boolean, data: Properties | null): T | null {
    if (data === null) {
      this.value = null;
    } else if (!isDelta || this.value === null) {
      this.value = withoutEnvelope(data) as T;
    } else {
      this.value = { ...this.value, ...withoutEnvelope(data) } as T;
    }
    return this.value;
  }

  clear(): void {
    this.value = null;
  }
}

/**
 * A keyed collection per subscription (mailbox entries, queue interactions). Replace takes the full list; a delta adds,
 * merges (only the given properties, and for `attributes` only the given attributes) and removes by id.
 */
export class KeyedCache<T extends Properties = Properties> {
  private readonly items = new Map<string, T>();

  get size(): number {
    return this.items.size;
  }

  values(): T[] {
    return [...this.items.values()];
  }

  /** Applies one message: `added` are full entries, `changed` partial ones, `removed` ids. */
  apply(isDelta: boolean, change: { added?: unknown; changed?: unknown; removed?: unknown }, idOf: (item: Properties) => string | undefined): void {
    if (!isDelta) this.items.clear();
    for (const item of objects(change.added)) {
      const id = idOf(item);
      if (id !== undefined) this.items.set(id, withoutEnvelope(item) as T);
    }
    for (const item of objects(change.changed)) {
      const id = idOf(item);
      if (id === undefined) continue;
      const previous = this.items.get(id);
      // A change for an entry we never saw (a replace that raced it) still teaches us the entry.
      this.items.set(id, (previous ? mergeEntry(previous, item) : withoutEnvelope(item)) as T);
    }
    if (Array.isArray(change.removed)) {
      for (const id of change.removed) if (typeof id === 'string') this.items.delete(id);
    }
  }

  clear(): void {
    this.items.clear();
  }
}

function mergeEntry(previous: Properties, change: Properties): Properties {
  const merged: Properties = { ...previous, ...withoutEnvelope(change) };
  if (isObject(previous.attributes) && isObject(change.attributes)) {
    merged.attributes = { ...previous.attributes, ...change.attributes };
  }
  return merged;
}

function withoutEnvelope(data: Properties): Properties {
  // Entries parsed from a message carry no envelope and no undefined: they are kept as they are (10,000 at a time).
  if (!('__type' in data) && !('isDelta' in data) && !Object.values(data).includes(undefined)) return data;
  const out: Properties = {};
  for (const [key, value] of Object.entries(data)) if (!ENVELOPE.has(key) && value !== undefined) out[key] = value;
  return out;
}

/** The objects of a list a server sent (anything else in it is skipped). */
export function objects(value: unknown): Properties[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
