// Lane d (0..7) of an 8-lane u32 vector passed in a uniform as two vec4s (dims and strides of up to 8 dims).
fn lane(v0: vec4<u32>, v1: vec4<u32>, d: u32) -> u32 {
  if (d < 4u) { return v0[d]; }
  return v1[d - 4u];
}
