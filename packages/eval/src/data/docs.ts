// The documents of each task in the Hugging Face `super_glue` flattened form, which the harness code is written
// against. Official SuperGLUE rows are converted to it on load (see normalize.ts). Labels are HF ClassLabel
// indices; character offsets are code points; WSC span indices are word indices into `text.split()`.

/** The eight SuperGLUE tasks, by their harness names. */
export const TASK_NAMES = ['boolq', 'cb', 'copa', 'multirc', 'record', 'rte', 'wic', 'wsc'] as const;
/** One SuperGLUE task. */
export type TaskName = (typeof TASK_NAMES)[number];

/** BoolQ: label 1 = True ("yes"). */
export interface BoolqDoc { question: string; passage: string; idx: number; label: number }
/** CB: label 0 entailment, 1 contradiction, 2 neutral. */
export interface CbDoc { premise: string; hypothesis: string; idx: number; label: number }
/** COPA: label = index of the correct choice. */
export interface CopaDoc { premise: string; choice1: string; choice2: string; question: 'cause' | 'effect'; idx: number; label: number }
/** RTE (SuperGLUE premise/hypothesis; GLUE sentence1/sentence2 map onto them): 0 entailment, 1 not_entailment. */
export interface RteDoc { premise: string; hypothesis: string; idx: number; label: number }
/** WiC: [start, end) code-point offsets of the word in each sentence; label 1 = same sense. */
export interface WicDoc { word: string; sentence1: string; sentence2: string; start1: number; start2: number; end1: number; end2: number; idx: number; label: number }
/** WSC (binary SuperGLUE form): span indices are word indices; label 1 = the pronoun refers to span1. */
export interface WscDoc { text: string; span1_index: number; span2_index: number; span1_text: string; span2_text: string; idx: number; label: number }
/** MultiRC: one row per candidate answer; label 1 = the answer is correct. */
export interface MultircDoc { paragraph: string; question: string; answer: string; label: number; idx: { paragraph: number; question: number; answer: number } }
/** ReCoRD: one row per query; entities and answers are unique surface strings. */
export interface RecordDoc { passage: string; query: string; entities: string[]; answers: string[]; idx: { passage: number; query: number } }

/** The document type of each task. */
export interface DocOf {
  boolq: BoolqDoc;
  cb: CbDoc;
  copa: CopaDoc;
  multirc: MultircDoc;
  record: RecordDoc;
  rte: RteDoc;
  wic: WicDoc;
  wsc: WscDoc;
}

/** Any task's document. */
export type AnyDoc = DocOf[TaskName];

/** Which on-disk layout a file was read as. */
export type DataLayout = 'official' | 'hf' | 'glue';
