import { describe, expect, it } from 'vitest';
import { pyCompare, pyLen, pySlice, pySortedUnique, pySplit, pyStrip, pyRstrip } from './py-str.js';

// Expected values are what CPython 3.11 returns for the same expressions.
describe('Python string semantics', () => {
  it('strip/rstrip/split use Python whitespace (\\x1c-\\x1f, \\x85 yes; \\ufeff no)', () => {
    expect(pyStrip('\x1c a b \x85')).toBe('a b');
    expect(pyStrip('\ufeffx\ufeff')).toBe('\ufeffx\ufeff');
    expect(pyRstrip('Answer:\n\n ')).toBe('Answer:');
    expect(pySplit('  The  trophy\tdoesn\'t\nfit ')).toEqual(['The', 'trophy', "doesn't", 'fit']);
    expect(pySplit('')).toEqual([]);
  });

  it('slices and lengths count code points', () => {
    const s = 'a😀bank c';
    expect(pySlice(s, 2, 6)).toBe('bank');
    expect(pyLen(s)).toBe(8);
    expect(pySlice('plain', 1, 3)).toBe('la');
  });

  it('sorts by code point like sorted()', () => {
    // UTF-16 order would put '😀' (D83D…) before '！' (FF01); code-point order does not.
    expect(['😀', '！', 'b', 'B', 'a'].sort(pyCompare)).toEqual(['B', 'a', 'b', '！', '😀']);
    expect(pySortedUnique(['Tom', 'CNN', 'Tom', 'Ann'])).toEqual(['Ann', 'CNN', 'Tom']);
    expect(pyCompare('ab', 'abc')).toBeLessThan(0);
  });
});
