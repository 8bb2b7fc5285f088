// `.wgsl` files are imported as their source text (tsup: esbuild text loader; vitest: wgslText plugin).
declare module '*.wgsl' {
  const source: string;
  export default source;
}
