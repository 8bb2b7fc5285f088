// Character-level tokenizer over a fixed alphabet (the engine demo needs no BPE).

export class CharVocab {
  readonly chars: string[];
  private readonly index: Map<string, number>;
  constructor(text: string) {
    this.chars = [...new Set(text)].sort();
    this.index = new Map(this.chars.map((c, i) => [c, i]));
  }
  get size(): number {
    return this.chars.length;
  }
  encode(text: string): Int32Array {
    return Int32Array.from([...text], (c) => {
      const id = this.index.get(c);
      if (id === undefined) throw new RangeError(`CharVocab: character ${JSON.stringify(c)} is not in the vocabulary`);
      return id;
    });
  }
  decode(ids: ArrayLike<number>): string {
    return Array.from(ids, (i) => this.chars[i] ?? '?').join('');
  }
}
