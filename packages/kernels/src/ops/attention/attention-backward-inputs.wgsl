// The further inputs of the two backward passes (a KernelSpec library, after attention-inputs.wgsl).
@group(0) @binding(4) var<storage, read> dout: array<f32>;  // [BH, L, HD]
@group(0) @binding(5) var<storage, read> lse: array<f32>;   // [BH, L]
@group(0) @binding(6) var<storage, read> delta: array<f32>; // [BH, L]
