// The bindings of both layouts of the shift SSM step (shift-step.wgsl, shift-step-row.wgsl), a KernelSpec library.
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> k: array<f32>;             // [B, d]
@group(0) @binding(2) var<storage, read> kernel: array<f32>;        // [d, N]
@group(0) @binding(3) var<storage, read> D: array<f32>;             // [d]
@group(0) @binding(4) var<storage, read_write> state: array<f32>;   // [B, d, N]
@group(0) @binding(5) var<storage, read_write> y: array<f32>;       // [B, d]
