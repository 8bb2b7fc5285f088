// The bindings of both layouts of the diagonal SSM step (diag-step.wgsl, diag-step-row.wgsl), a KernelSpec library.
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;                 // [B, H]
@group(0) @binding(2) var<storage, read> A: array<vec2<f32>>;           // [H, N2]
@group(0) @binding(3) var<storage, read> W: array<vec2<f32>>;           // [H, N2]
@group(0) @binding(4) var<storage, read> D: array<f32>;                 // [H]
@group(0) @binding(5) var<storage, read_write> state: array<vec2<f32>>; // [B, H, N2]
@group(0) @binding(6) var<storage, read_write> y: array<f32>;           // [B, H]
