#!/usr/bin/env bash
# Runs the FlashConv benchmark on a GPU machine, prepared by prepare.sh (see README.md): Dawn's Vulkan backend on
# the machine's GPU against the unfused WGSL baseline and torch.fft on CUDA, in one call, under 8 minutes.
# Writes the log to $OUT/fftconv-gpu.log when $OUT is set (the device tool's output folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
[ -f "$out/node.xz" ] || { echo "run.sh: $out is missing: run bench/gpu/prepare.sh first and carry that folder" >&2; exit 2; }
log="${OUT:-/tmp}/fftconv-gpu.log"

echo "== Vulkan loader"
if ! ldconfig -p | grep -q 'libvulkan.so.1'; then
  for f in "$out"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
ldconfig -p | grep 'libvulkan.so.1' | head -1
# where drivers mount NVIDIA's ICD outside the loader's search path (device notes)
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1 && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  echo "VK_DRIVER_FILES=$VK_DRIVER_FILES"
fi

echo "== node and Dawn"
node_bin="$(mktemp -d)/node"
xz -dc "$out/node.xz" > "$node_bin"
chmod +x "$node_bin"
xz -dc "$out/node_modules/webgpu/dist/linux-x64/dawn.node.xz" > "$out/node_modules/webgpu/dist/linux-x64/dawn.node"
"$node_bin" --version

echo "== GPU and PyTorch"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi not found"
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), torch.version.cuda)' || echo "torch not importable"

echo "== benchmark (adapter first; every path is checked against a float64 reference before its timings count)"
cd "$out"
set -o pipefail
HIPPO_BENCH_CUDA=1 HIPPO_BENCH_GPU_ONLY=1 timeout 420 "$node_bin" fftconv-bench.mjs 2>&1 | grep -v 'artificially reduced' | tee "$log"
