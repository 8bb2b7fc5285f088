// Parquet in the Hugging Face layout (one string column, `text`) through hyparquet, one row group at a time so
// that memory stays at one row group's text. hyparquet decodes snappy itself; hyparquet-compressors adds gzip,
// brotli, zstd and lz4, which other writers use.
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { InputError } from '../errors.js';

/** Rows of one row group of the text column; null rows become empty documents. */
export interface RowGroupTexts {
  firstRow: number;
  texts: (string | null)[];
}

/**
 * Streams the `column` strings of a Parquet file, row group by row group.
 * @example for await (const g of parquetTexts('train-00000.parquet', 'text')) console.log(g.firstRow, g.texts.length);
 */
export async function* parquetTexts(path: string, column: string): AsyncGenerator<RowGroupTexts & { totalRows: number }> {
  let file, metadata;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new InputError({ file: path }, `not a readable Parquet file: ${(e as Error).message}`);
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  if (!names.includes(column))
    throw new InputError({ file: path }, `no column "${column}" (columns: ${names.join(', ')})`, 'choose the text column with --text-field');
  const totalRows = Number(metadata.num_rows);
  let start = 0;
  for (const rg of metadata.row_groups) {
    const end = start + Number(rg.num_rows);
    let rows: unknown[][] = [];
    try {
      await parquetRead({ file, metadata, columns: [column], rowStart: start, rowEnd: end, compressors, onComplete: (r) => (rows = r) });
    } catch (e) {
      throw new InputError({ file: path }, `corrupt Parquet data in the row group of rows ${start}–${end}: ${(e as Error).message}`);
    }
    const texts = rows.map((r, i) => {
      const v = r[0];
      if (v === null || v === undefined || typeof v === 'string') return (v ?? null) as string | null;
      throw new InputError({ file: path }, `row ${start + i}: column "${column}" must hold strings; got ${typeof v}`);
    });
    yield { firstRow: start, texts, totalRows };
    start = end;
  }
}
