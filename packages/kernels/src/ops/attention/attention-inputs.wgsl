// The inputs every flash-style attention kernel binds (a KernelSpec library): the uniform, q, k and v.
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>; // [BH, L, HD]
@group(0) @binding(2) var<storage, read> k: array<f32>; // [BH, L, HD]
@group(0) @binding(3) var<storage, read> v: array<f32>; // [BH, L, HD]
