"""Converts a released H3 checkpoint (PyTorch state dict, e.g. danfu09/H3-125M model.pt) to safetensors,
keeping the official key names; @hippo/models' importOfficialCheckpoint applies the official key remapping.
Needs only PyTorch:  python3 pt-to-safetensors.py model.pt model.safetensors
"""
import json
import os
import struct
import sys

import torch

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64", torch.int64: "I64"}


def main(src: str, dst: str) -> None:
    state = torch.load(src, map_location="cpu")
    state = state.get("state_dict", state)  # Lightning checkpoints nest the weights
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        if not torch.is_tensor(t):
            continue
        t = t.detach().contiguous()
        raw = t.view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    with open(dst + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head)
        for b in blobs:
            f.write(b)
    os.replace(dst + ".tmp", dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
