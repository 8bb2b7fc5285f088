// The paper's numbers that the reproduction tables are printed beside (reference §8.5 and §9.1).

/** Test accuracy (%) on the final token, paper table "2-layer models on synthetic languages". */
export const PAPER_SYNTHETIC = {
  'induction-head': { random: 5.0, s4d: 35.6, gss: 6.8, h3: 100.0, attention: 100.0 },
  'assoc-recall': { random: 25.0, s4d: 86.0, gss: 78.0, h3: 99.8, attention: 100.0 },
} as const;

/** OpenWebText validation perplexity of the 125M models after 50B tokens (paper Table 3). */
export const PAPER_OWT_PERPLEXITY = { hybrid: 19.6, transformer: 20.6, h3: 21.0, s4d: 24.9 } as const;
