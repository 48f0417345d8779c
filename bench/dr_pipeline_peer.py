"""The peer of the dr-pipeline bench: what Apple's preprocess_dr does per sample on the CPU, with Debian's PIL 9.4 and
torchvision 0.14 - decode (webdataset's pilrgba, then convert('RGB')), replay the stored augmentation (F.resized_crop,
then _apply_op per op), ToTensor and Normalize - on the JPEGs and paug entries the bench passes in a JSON file.
Prints one line: ms per sample over ROUNDS passes (median of passes), one thread. Usage: dr_pipeline_peer.py CASES ROUNDS"""
import base64, io, json, statistics, sys, time
import torch
torch.set_num_threads(1)
import torchvision.transforms as T
import torchvision.transforms.functional as F
from torchvision.transforms.autoaugment import _apply_op
from PIL import Image

OPS = ["Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast",
       "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize"]
MEAN, STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]

cases = json.load(open(sys.argv[1]))
rounds = int(sys.argv[2])
images = [base64.b64decode(c["jpeg"]) for c in cases["images"]]
size = cases["size"]
passes = []
for _ in range(rounds):
    t0 = time.perf_counter()
    for k, (i, j, h, w), ops in ((a["image"], a["box"], a["ops"]) for a in cases["samples"]):
        img = Image.open(io.BytesIO(images[k])).convert("RGBA").convert("RGB")
        out = F.resized_crop(img, i, j, h, w, [size, size], interpolation=T.InterpolationMode.BICUBIC)
        for op, m in ops:
            out = _apply_op(out, OPS[op], m, interpolation=T.InterpolationMode.NEAREST, fill=None)
        F.normalize(F.to_tensor(out), MEAN, STD)
    passes.append((time.perf_counter() - t0) * 1000 / len(cases["samples"]))
print(f"{statistics.median(passes):.4f}")
