// Converts raw rows of either layout into the HF `super_glue` flattened documents (docs.ts), validating every
// field. Official SuperGLUE → HF follows the HF loader: boolean labels → 0/1, string labels → ClassLabel
// indices, WSC `target` flattened, MultiRC one row per answer, ReCoRD one row per query with unique entity
// surface strings `text[start:end+1]` (official `end` is inclusive) and unique answer texts.
import type { DataLayout, DocOf, TaskName } from './docs.js';
import type { RawRow } from './read-rows.js';
import { RowFields } from './row-fields.js';
import { pyLen, pySlice, pySortedUnique, pySplit } from '../python/py-str.js';

const CB_LABELS = ['entailment', 'contradiction', 'neutral'] as const;
const RTE_LABELS = ['entailment', 'not_entailment'] as const;
const BINARY = ['False', 'True'] as const;
const COPA_LABELS = ['choice1', 'choice2'] as const;

/** Which layout a task's row is in, judged from fields that differ between the layouts. */
export function detectLayout(task: TaskName, row: Record<string, unknown>): DataLayout {
  switch (task) {
    case 'boolq':
    case 'wic':
      return typeof row.label === 'boolean' ? 'official' : 'hf';
    case 'cb':
      return typeof row.label === 'string' ? 'official' : 'hf';
    case 'rte':
      return 'sentence1' in row ? 'glue' : typeof row.label === 'string' ? 'official' : 'hf';
    case 'copa':
      return 'official'; // the two layouts are identical
    case 'wsc':
      return 'target' in row ? 'official' : 'hf';
    case 'multirc':
      return typeof row.passage === 'object' && row.passage !== null ? 'official' : 'hf';
    case 'record':
      return 'qas' in row ? 'official' : 'hf';
  }
}

const LAYOUT_NAMES: Record<DataLayout, string> = {
  official: 'official SuperGLUE jsonl',
  hf: 'Hugging Face super_glue',
  glue: 'Hugging Face glue/rte',
};

/**
 * Normalises the rows of one file. The layout is detected from the first row and every row must follow it.
 * @example const docs = normalizeRows('cb', await readRows('CB/val.jsonl')); // CbDoc[]
 */
export function normalizeRows<T extends TaskName>(task: T, rows: RawRow[]): { docs: DocOf[T][]; layout: DataLayout | null } {
  if (rows.length === 0) return { docs: [], layout: null };
  const layout = detectLayout(task, rows[0].value as Record<string, unknown>);
  const hint = `(reading ${task} rows in the ${LAYOUT_NAMES[layout]} layout, detected from the first row of the file)`;
  const docs: DocOf[T][] = [];
  for (const r of rows) {
    const f = new RowFields(r.value as Record<string, unknown>, r.file, r.line, hint);
    docs.push(...(NORMALIZERS[task](f, layout) as DocOf[T][]));
  }
  return { docs, layout };
}

type Normalizer<T extends TaskName> = (f: RowFields, layout: DataLayout) => DocOf[T][];

const binaryLabel = (f: RowFields, layout: DataLayout) => (layout === 'official' ? (f.bool('label') ? 1 : 0) : f.classLabel('label', BINARY));

const NORMALIZERS: { [T in TaskName]: Normalizer<T> } = {
  boolq: (f, layout) => [{ question: f.str('question'), passage: f.str('passage'), idx: f.int('idx'), label: binaryLabel(f, layout) }],

  cb: (f, layout) => [
    {
      premise: f.str('premise'),
      hypothesis: f.str('hypothesis'),
      idx: f.int('idx'),
      label: layout === 'official' ? f.oneOf('label', CB_LABELS) : f.classLabel('label', CB_LABELS),
    },
  ],

  copa: (f) => [
    {
      premise: f.str('premise'),
      choice1: f.str('choice1'),
      choice2: f.str('choice2'),
      question: (['cause', 'effect'] as const)[f.oneOf('question', ['cause', 'effect'])],
      idx: f.int('idx'),
      label: f.classLabel('label', COPA_LABELS),
    },
  ],

  rte: (f, layout) => [
    layout === 'glue'
      ? { premise: f.str('sentence1'), hypothesis: f.str('sentence2'), idx: f.int('idx'), label: f.classLabel('label', RTE_LABELS) }
      : {
          premise: f.str('premise'),
          hypothesis: f.str('hypothesis'),
          idx: f.int('idx'),
          label: layout === 'official' ? f.oneOf('label', RTE_LABELS) : f.classLabel('label', RTE_LABELS),
        },
  ],

  wic: (f, layout) => {
    const sentence1 = f.str('sentence1');
    const sentence2 = f.str('sentence2');
    const offsets = (s: string, start: string, end: string) => {
      const a = f.int(start, 0);
      const b = f.int(end, 0);
      if (a >= b || b > pyLen(s)) f.fail(end, `${start} < ${end} ≤ length of the sentence (${pyLen(s)})`, { [start]: a, [end]: b });
      return [a, b];
    };
    const [start1, end1] = offsets(sentence1, 'start1', 'end1');
    const [start2, end2] = offsets(sentence2, 'start2', 'end2');
    return [{ word: f.str('word'), sentence1, sentence2, start1, start2, end1, end2, idx: f.int('idx'), label: binaryLabel(f, layout) }];
  },

  wsc: (f, layout) => {
    const text = f.str('text');
    const t = layout === 'official' ? f.obj('target') : f;
    const nWords = pySplit(text).length;
    const span = (name: string) => {
      const i = t.int(name, 0);
      if (i >= nWords) t.fail(name, `a word index < ${nWords} (the number of words in text)`, i);
      return i;
    };
    return [
      {
        text,
        span1_index: span('span1_index'),
        span2_index: span('span2_index'),
        span1_text: t.str('span1_text'),
        span2_text: t.str('span2_text'),
        idx: f.int('idx'),
        label: binaryLabel(f, layout),
      },
    ];
  },

  multirc: (f, layout) => {
    if (layout === 'hf') {
      const idx = f.obj('idx');
      return [
        {
          paragraph: f.str('paragraph'),
          question: f.str('question'),
          answer: f.str('answer'),
          label: f.classLabel('label', BINARY),
          idx: { paragraph: idx.int('paragraph'), question: idx.int('question'), answer: idx.int('answer') },
        },
      ];
    }
    const passage = f.obj('passage');
    const paragraph = passage.str('text');
    const pIdx = f.int('idx');
    const docs: DocOf['multirc'][] = [];
    for (const q of passage.objs('questions')) {
      const question = q.str('question');
      const qIdx = q.int('idx');
      for (const a of q.objs('answers')) {
        const l = a.raw('label');
        const label = typeof l === 'boolean' ? Number(l) : l === 0 || l === 1 ? l : a.fail('label', '0 or 1', l);
        docs.push({ paragraph, question, answer: a.str('text'), label, idx: { paragraph: pIdx, question: qIdx, answer: a.int('idx') } });
      }
    }
    return docs;
  },

  record: (f, layout) => {
    const nonEmpty = (g: RowFields, name: string, xs: string[]) => (xs.length > 0 ? xs : g.fail(name, 'at least one entry', xs));
    if (layout === 'hf') {
      const idx = f.obj('idx');
      return [
        {
          passage: f.str('passage'),
          query: f.str('query'),
          entities: nonEmpty(f, 'entities', f.strs('entities')),
          answers: nonEmpty(f, 'answers', f.strs('answers')),
          idx: { passage: idx.int('passage'), query: idx.int('query') },
        },
      ];
    }
    const passage = f.obj('passage');
    const text = passage.str('text');
    const n = pyLen(text);
    const entities = passage.objs('entities').map((e) => {
      const start = e.int('start', 0);
      const end = e.int('end', 0);
      if (end < start || end >= n) e.fail('end', `start ≤ end < length of passage.text (${n}); end is inclusive`, { start, end });
      return pySlice(text, start, end + 1);
    });
    const pIdx = f.int('idx');
    return f.objs('qas').map((qa) => ({
      passage: text,
      query: qa.str('query'),
      entities: nonEmpty(passage, 'entities', pySortedUnique(entities)),
      answers: nonEmpty(qa, 'answers', pySortedUnique(qa.objs('answers').map((a) => a.str('text')))),
      idx: { passage: pIdx, query: qa.int('idx') },
    }));
  },
};
