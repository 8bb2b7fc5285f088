#!/usr/bin/env bash
# Prepares the FlashConv GPU benchmark for a bare GPU machine (see README.md): run it here, on an x86-64 Linux
# machine with the repository installed. It writes bench/gpu/out/ (git-ignored, about 30 MB), which the device
# call carries: the Node binary and Dawn's dawn.node (xz-compressed), the benchmark bundled into one file, the
# Python baseline script, and Debian's Vulkan loader package for machines that lack one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/../.." && pwd)"
out="$here/out"
rm -rf "$out"
mkdir -p "$out/debs" "$out/node_modules/webgpu/dist/linux-x64"

echo "== node $(node --version)"
xz -T0 -6 -c "$(command -v node)" > "$out/node.xz"

echo "== webgpu (Dawn for Node): entry files and the linux-x64 binary"
webgpu="$(cd "$pkg" && node -p "require('path').dirname(require.resolve('webgpu/package.json'))")"
cp "$webgpu/package.json" "$webgpu/index.js" "$out/node_modules/webgpu/"
xz -T0 -6 -c "$webgpu/dist/linux-x64/dawn.node" > "$out/node_modules/webgpu/dist/linux-x64/dawn.node.xz"

echo "== the benchmark, bundled (WGSL as text; webgpu stays external)"
esbuild="$(cd "$pkg" && node -p "require('path').join(require('path').dirname(require.resolve('esbuild/package.json', { paths: [require.resolve('tsup')] })), 'bin', 'esbuild')")"
"$esbuild" "$pkg/bench/fftconv.bench.ts" --bundle --platform=node --format=esm --target=node20 \
  --loader:.wgsl=text --external:webgpu --outfile="$out/fftconv-bench.mjs" --log-level=warning
cp "$pkg/bench/fftconv_baseline.py" "$out/"

echo "== Debian's Vulkan loader (amd64), unpacked on the GPU machine only if it has none"
lists="$(mktemp -d)"
opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
mkdir -p "$lists/partial"
apt-get "${opts[@]}" update -qq
(cd "$out/debs" && apt-get "${opts[@]}" download libvulkan1 >/dev/null)
rm -rf "$lists"

du -sh "$out"
echo "ready: carry packages/kernels/bench/gpu/out and run packages/kernels/bench/gpu/run.sh (README.md)"
