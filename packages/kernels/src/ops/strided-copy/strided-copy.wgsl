// Strided copy, one thread per element of the iteration shape: the linear index is split into the shape's
// digits (innermost dim first, so lane 0 is the innermost), each view's element is its offset plus the
// digits times its strides. Words are copied as u32, so the kernel serves f32 and i32 buffers alike.
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.size) { return; }
  var rem = i;
  var is = p.srcOffset;
  var id = p.dstOffset;
  for (var d = 0u; d < p.rank; d++) {
    let n = lane(p.shape0, p.shape1, d);
    let k = rem % n;
    rem = rem / n;
    is += k * lane(p.src0, p.src1, d);
    id += k * lane(p.dst0, p.dst1, d);
  }
  dst[id] = src[is];
}
