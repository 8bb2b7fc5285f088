// Elementwise binary op with broadcasting. The collapsed output dims and both inputs' strides arrive as
// 8-lane vectors (unused lanes: dim 1, stride 0); OP selects the operation at pipeline creation.
override OP: u32 = 0u; // 0 add, 1 sub, 2 mul, 3 div
override WG: u32 = 256u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.size) { return; }
  var rem = i;
  var ia = 0u;
  var ib = 0u;
  for (var d = 7i; d >= 0; d--) {
    let n = lane(p.dims0, p.dims1, u32(d));
    let k = rem % n;
    rem = rem / n;
    ia += k * lane(p.aStrides0, p.aStrides1, u32(d));
    ib += k * lane(p.bStrides0, p.bStrides1, u32(d));
  }
  let x = a[ia];
  let y = b[ib];
  var r: f32;
  switch OP {
    case 0u: { r = x + y; }
    case 1u: { r = x - y; }
    case 2u: { r = x * y; }
    default: { r = x / y; }
  }
  out[i] = r;
}
