// Writes the sample data set to disk in one of the three layouts the loader reads: the official SuperGLUE
// jsonl (BoolQ/train.jsonl, BoolQ/val.jsonl, …), Hugging Face rows as jsonl (boolq/train.jsonl,
// boolq/validation.jsonl, …, as `Dataset.to_json` writes them) or as Parquet (boolq/train-00000-of-00001.parquet,
// …, with the HF schema: INT64 ClassLabels, INT32 indices, structs and string lists).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { TASK_NAMES, type TaskName } from '../data/docs.js';
import { normalizeRows } from '../data/normalize.js';
import { officialSampleRows } from './official-rows.js';

/** On-disk layouts of a SuperGLUE copy. */
export type SampleLayout = 'official' | 'hf-jsonl' | 'hf-parquet';
/** Every layout. */
export const SAMPLE_LAYOUTS: readonly SampleLayout[] = ['official', 'hf-jsonl', 'hf-parquet'];

// The writer's own schema type (it pins its own hyparquet version).
type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number];

const OFFICIAL_DIRS: Record<TaskName, string> = { boolq: 'BoolQ', cb: 'CB', copa: 'COPA', multirc: 'MultiRC', record: 'ReCoRD', rte: 'RTE', wic: 'WiC', wsc: 'WSC' };

const jsonl = (rows: readonly object[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

/** The sample data as HF-flattened rows: task → split → docs. */
export function hfSampleRows(): Record<TaskName, { train: object[]; validation: object[] }> {
  const official = officialSampleRows();
  const out = {} as Record<TaskName, { train: object[]; validation: object[] }>;
  for (const task of TASK_NAMES) {
    const split = (name: 'train' | 'val') =>
      normalizeRows(task, official[OFFICIAL_DIRS[task]][name].map((value, i) => ({ value, file: `${OFFICIAL_DIRS[task]}/${name}.jsonl`, line: i + 1 }))).docs;
    out[task] = { train: split('train'), validation: split('val') };
  }
  return out;
}

/**
 * Writes the sample data under `dir` (created if needed) in `layout`.
 * @example await writeSampleData('/tmp/superglue-sample', 'hf-parquet');
 */
export async function writeSampleData(dir: string, layout: SampleLayout): Promise<void> {
  if (layout === 'official') {
    for (const [task, { train, val }] of Object.entries(officialSampleRows())) {
      await mkdir(join(dir, task), { recursive: true });
      await writeFile(join(dir, task, 'train.jsonl'), jsonl(train));
      await writeFile(join(dir, task, 'val.jsonl'), jsonl(val));
    }
    return;
  }
  for (const [task, splits] of Object.entries(hfSampleRows())) {
    await mkdir(join(dir, task), { recursive: true });
    for (const [split, rows] of Object.entries(splits)) {
      if (layout === 'hf-jsonl') await writeFile(join(dir, task, `${split}.jsonl`), jsonl(rows));
      else await writeFile(join(dir, task, `${split}-00000-of-00001.parquet`), new Uint8Array(hfParquet(rows as Record<string, unknown>[])));
    }
  }
}

/** Parquet bytes of HF rows, typed as the HF datasets export types them. */
export function hfParquet(rows: readonly Record<string, unknown>[]): ArrayBuffer {
  const names = Object.keys(rows[0]);
  const schema: SchemaElement[] = [{ name: 'root', num_children: names.length }];
  const columnData = names.map((name) => {
    const sample = rows[0][name];
    let data: unknown[] = rows.map((r) => r[name]);
    if (typeof sample === 'string') schema.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
    else if (typeof sample === 'number' && name === 'label') {
      schema.push({ name, type: 'INT64', repetition_type: 'OPTIONAL' }); // ClassLabel
      data = data.map((x) => BigInt(x as number));
    } else if (typeof sample === 'number' && !Number.isInteger(sample)) schema.push({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });
    else if (typeof sample === 'number') schema.push({ name, type: 'INT32', repetition_type: 'OPTIONAL' });
    else if (Array.isArray(sample))
      schema.push(
        { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      );
    else {
      const fields = Object.keys(sample as object);
      schema.push({ name, repetition_type: 'OPTIONAL', num_children: fields.length }, ...fields.map((f): SchemaElement => ({ name: f, type: 'INT32', repetition_type: 'OPTIONAL' })));
    }
    return { name, data };
  });
  return parquetWriteBuffer({ columnData, schema });
}
