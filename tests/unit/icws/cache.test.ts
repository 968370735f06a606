import { describe, expect, it } from 'vitest';
import { KeyedCache, PropertyCache } from '../../../main/icws/cache';

describe('PropertyCache', () => {
  it('replaces on isDelta false and drops properties the new message lacks', () => {
    const cache = new PropertyCache();
    cache.apply(false, { __type: 't', isDelta: false, id: '7001', extension: '7001', ringAlways: true });
    cache.apply(false, { id: '7002', extension: '7002' });
    expect(cache.current).toEqual({ id: '7002', extension: '7002' });
  });

  it('merges only the given properties on isDelta true', () => {
    const cache = new PropertyCache();
    cache.apply(false, { id: '7001', extension: '7001', ringAlways: true });
    cache.apply(true, { __type: 't', isDelta: true, ringAlways: false });
    expect(cache.current).toEqual({ id: '7001', extension: '7001', ringAlways: false });
  });

  it('a delta on an empty cache initialises it; null clears it', () => {
    const cache = new PropertyCache();
    cache.apply(true, { id: 'x' });
    expect(cache.current).toEqual({ id: 'x' });
    cache.apply(true, null);
    expect(cache.current).toBeNull();
  });
});

describe('KeyedCache', () => {
  const idOf = (item: Record<string, unknown>) => item.id as string;

  it('replaces the whole collection on isDelta false', () => {
    const cache = new KeyedCache();
    cache.apply(false, { added: [{ id: 'a' }, { id: 'b' }] }, idOf);
    cache.apply(false, { added: [{ id: 'c' }] }, idOf);
    expect(cache.values()).toEqual([{ id: 'c' }]);
    cache.apply(false, {}, idOf);
    expect(cache.size).toBe(0);
  });

  it('adds, merges given properties (and given attributes) and removes on isDelta true', () => {
    const cache = new KeyedCache();
    cache.apply(false, { added: [{ id: 'a', state: 0, from: 'x', attributes: { s: 'C', n: 'Ann' } }, { id: 'b', state: 0 }] }, idOf);
    cache.apply(true, { added: [{ id: 'c', state: 1 }], changed: [{ id: 'a', state: 1, attributes: { s: 'H' } }], removed: ['b'] }, idOf);
    expect(cache.values()).toEqual([
      { id: 'a', state: 1, from: 'x', attributes: { s: 'H', n: 'Ann' } },
      { id: 'c', state: 1 },
    ]);
  });

  it('ignores entries without an id and non-array fields', () => {
    const cache = new KeyedCache();
    cache.apply(true, { added: [{ nope: 1 }, 'text', null], changed: 'oops', removed: [3] }, idOf);
    expect(cache.size).toBe(0);
  });
});
