// The design note's test vectors (design/superglue-eval.md §4, copied to test/vectors/): official row → HF row,
// and the v0.3 and current contexts, continuations and gold indices, byte for byte.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TASK_NAMES, type AnyDoc, type TaskName } from '../data/docs.js';
import { normalizeRows } from '../data/normalize.js';
import { fewshotContext } from '../prompt/requests.js';
import { getTask } from './registry.js';

const VECTORS = JSON.parse(readFileSync(new URL('../../test/vectors/superglue-eval-vectors.json', import.meta.url), 'utf8')) as Record<
  TaskName,
  { official: object; hf: AnyDoc; v03: { context: string; continuations: string[]; gold_index: number | number[] }; current: { context: string; continuations: string[]; gold_index_as_harness_computes: number | number[] } }[]
>;
const asList = (g: number | number[]) => (Array.isArray(g) ? g : [g]);
const load = (task: TaskName, row: object) => normalizeRows(task, [{ value: row, file: 'vectors.json', line: 1 }]).docs;

describe.each(TASK_NAMES)('%s test vectors', (name) => {
  const task = getTask(name);
  const processed = (d: AnyDoc) => (task.processDoc ? task.processDoc(d) : d);

  it('official row → the HF row; the HF row reads back unchanged', () => {
    expect(VECTORS[name].length).toBe(2);
    for (const v of VECTORS[name]) {
      const fromOfficial = load(name, v.official);
      // MultiRC: one official row (one question, two answers) yields both vectors' HF rows.
      if (name === 'multirc') expect(fromOfficial).toContainEqual(v.hf);
      else expect(fromOfficial).toEqual([v.hf]);
      expect(load(name, v.hf)).toEqual([v.hf]);
    }
  });

  it.each(['v03', 'current'] as const)('%s context, continuations and gold', (key) => {
    const version = key === 'v03' ? 'v0.3' : 'current';
    for (const v of VECTORS[name]) {
      const doc = processed(v.hf);
      const want = v[key];
      expect(task.text(doc, version)).toBe(want.context);
      expect(fewshotContext(task, doc, [], version)).toBe(want.context); // zero-shot ctx is doc_to_text
      expect(task.continuations(doc, version)).toEqual(want.continuations);
      const gold = 'gold_index' in want ? want.gold_index : want.gold_index_as_harness_computes;
      expect(task.gold(doc, version)).toEqual(asList(gold));
    }
  });
});

describe('one-shot examples (design §4)', () => {
  const pair = (name: TaskName) => VECTORS[name].map((v) => getTask(name).processDoc?.(v.hf) ?? v.hf);

  it('BoolQ, both versions', () => {
    const [d1, d2] = pair('boolq');
    const want =
      'Penguin -- Penguins are flightless aquatic birds that live almost exclusively in the Southern Hemisphere.\nQuestion: do penguins live in the southern hemisphere?\nAnswer: yes\n\n' +
      'Golden Gate Bridge -- The bridge is painted in a colour called International Orange, chosen to blend with the hills.\nQuestion: is the golden gate bridge painted red?\nAnswer:';
    expect(fewshotContext(getTask('boolq'), d2, [d1], 'v0.3')).toBe(want);
    expect(fewshotContext(getTask('boolq'), d2, [d1], 'current')).toBe(want);
  });

  it('COPA: one space in v0.3, two in current', () => {
    const [d1, d2] = pair('copa');
    expect(fewshotContext(getTask('copa'), d2, [d1], 'v0.3')).toBe('The ground was wet because it had rained overnight.\n\nThe boy dropped the glass therefore');
    expect(fewshotContext(getTask('copa'), d2, [d1], 'current')).toBe('The ground was wet because  it had rained overnight.\n\nThe boy dropped the glass therefore');
  });

  it('ReCoRD: the first sorted answer fills the demonstration', () => {
    const [d1, d2] = pair('record');
    expect(fewshotContext(getTask('record'), d2, [d1], 'v0.3')).toBe(
      '(CNN) -- Maria Lopez won the city marathon on Sunday, beating defending champion Tom Reed by a minute.\n\n  - Maria Lopez wins the city marathon.\n  - Tom Reed finishes second.\n' +
        '  - Maria Lopez said she had trained for two years for the race.\n\n' +
        'The town of Eastfield opened a new library, the mayor Jane Holt announced.\n\n  - Eastfield gets a new library.\n',
    );
    // current: the " " target delimiter before the demonstration's answer (three spaces).
    expect(fewshotContext(getTask('record'), d2, [d1], 'current')).toContain('second.\n   - Maria Lopez said');
  });

  it('MultiRC: v0.3 demonstrations say yes for a correct answer; current flips them (its label indexing)', () => {
    const [d1] = pair('multirc');
    expect(getTask('multirc').shotTarget(d1, 'v0.3')).toBe(' In April\nIs the answer correct? yes');
    expect(getTask('multirc').shotTarget(d1, 'current')).toBe(' In April\nIs the answer correct? no');
  });
});

describe('prompt details beyond the vectors', () => {
  // Expected strings below are CPython's output of the harness's doc_to_text / general_detokenize on these docs.
  it('WSC keeps the harness quirks: span2_index 0 gives a leading space and eats the following space', () => {
    const doc = { text: 'He said that Tom was late.', span1_index: 3, span2_index: 0, span1_text: 'Tom', span2_text: 'He', idx: 0, label: 1 };
    expect(getTask('wsc').text(doc, 'v0.3')).toBe('Passage:  *He*said that Tom was late.\nQuestion: In the passage above, does the pronoun "*He*" refer to "*Tom*"?\nAnswer:');
  });

  it('WSC detokenizes like general_detokenize', () => {
    const doc = { text: 'Joe did n\'t say " hi " to Ann ( his aunt ) , so she left .', span1_index: 8, span2_index: 15, span1_text: 'Ann', span2_text: 'she', idx: 0, label: 0 };
    expect(getTask('wsc').text(doc, 'v0.3')).toBe('Passage: Joe didn\'t say"hi"to Ann (his aunt), so *she* left.\nQuestion: In the passage above, does the pronoun "*she*" refer to "*Ann*"?\nAnswer:');
  });

  it('ReCoRD replaces every @placeholder and keeps $ literal; no highlights ends the context in "\\n\\n"', () => {
    const doc = { passage: '  A $5 fee.  ', query: '@placeholder paid @placeholder.', entities: ['$&B', 'A'], answers: ['A'], idx: { passage: 0, query: 0 } };
    const t = getTask('record');
    expect(t.text(doc, 'v0.3')).toBe('A $5 fee.\n\n');
    expect(t.continuations(doc, 'v0.3')).toEqual(['  - $&B paid $&B.', '  - A paid A.']);
  });

  it('WiC slices the word by code points', () => {
    const doc = { word: 'x', sentence1: '😀 bank here', sentence2: 'b', start1: 2, end1: 6, start2: 0, end2: 1, idx: 0, label: 1 };
    expect(getTask('wic').text(doc, 'v0.3')).toContain("Is the word 'bank' used");
  });
});
