// A uniform struct described once in TypeScript; both the WGSL declaration and the byte packer come from it,
// so the two layouts cannot drift (WGSL alignment rules: scalars 4 bytes, vec4 16, struct size rounded to 16).

export type UniformField = 'u32' | 'i32' | 'f32' | 'vec4u';

export interface UniformStruct<F extends Record<string, UniformField>> {
  readonly name: string;
  readonly fields: F;
  /** WGSL text of the struct declaration. */
  readonly wgsl: string;
  /** Byte size, a multiple of 16. */
  readonly byteSize: number;
  /** Byte offset of each field. */
  readonly offsets: Record<keyof F, number>;
  pack(values: UniformValues<F>): ArrayBuffer;
}

export type UniformValues<F extends Record<string, UniformField>> = {
  [K in keyof F]: F[K] extends 'vec4u' ? readonly number[] : number;
};

const WGSL_TYPE: Record<UniformField, string> = { u32: 'u32', i32: 'i32', f32: 'f32', vec4u: 'vec4<u32>' };
const SIZE: Record<UniformField, number> = { u32: 4, i32: 4, f32: 4, vec4u: 16 };

export function uniformStruct<F extends Record<string, UniformField>>(name: string, fields: F): UniformStruct<F> {
  const offsets = {} as Record<keyof F, number>;
  let offset = 0;
  for (const [field, type] of Object.entries(fields) as [keyof F, UniformField][]) {
    const size = SIZE[type];
    offset = Math.ceil(offset / size) * size;
    offsets[field] = offset;
    offset += size;
  }
  const byteSize = Math.max(16, Math.ceil(offset / 16) * 16);
  const body = Object.entries(fields)
    .map(([f, t]) => `  ${f}: ${WGSL_TYPE[t]},`)
    .join('\n');
  const wgsl = `struct ${name} {\n${body}\n}\n`;
  return {
    name,
    fields,
    wgsl,
    byteSize,
    offsets,
    pack(values) {
      const buf = new ArrayBuffer(byteSize);
      const view = new DataView(buf);
      for (const [field, type] of Object.entries(fields) as [keyof F & string, UniformField][]) {
        const at = offsets[field];
        const v = values[field];
        if (type === 'vec4u') {
          const arr = v as readonly number[];
          for (let i = 0; i < 4; i++) view.setUint32(at + 4 * i, arr[i] ?? 0, true);
        } else if (type === 'u32') view.setUint32(at, v as number, true);
        else if (type === 'i32') view.setInt32(at, v as number, true);
        else view.setFloat32(at, v as number, true);
      }
      return buf;
    },
  };
}
