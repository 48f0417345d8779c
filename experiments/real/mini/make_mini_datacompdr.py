#!/usr/bin/python3
"""Makes a miniature DataCompDR: a few hundred samples in the real layout, written by Python alone.

What it writes (under OUT, default ./data next to this script):
  images/{00000000..00000001}.tar   the base dataset, DataComp-12M style: KEY.jpg, KEY.txt (GT caption), KEY.json {"uid"}
  dr/{00000000..00000001}.tar       the reinforcement, DataCompDR style: KEY.url.txt, KEY.json {"uid", "sha256"},
                                    KEY.syn.json {"syn_text_coca": [5], "syn_text_coca_ft": [5]}, KEY.paug.json
                                    {"param_aug": [[[i, j, h, w], [[op, magnitude], ...]], ...]} and the teachers'
                                    embeddings: shard 0 as KEY.npz (float32), shard 1 as KEY.pth.gz (bfloat16, the
                                    -bf16 variant); image_emb [augs, 32 + 24], text_emb [1, 56] (the GT caption), and
                                    per captioner KEY_emb [5, 56] (DFNDR's layout)
  eval/00000000.tar                 labelled images for zero-shot: KEY.jpg, KEY.cls; eval/classnames.json

Everything is made here, independently of Ablations' own writer: the images (PIL, JPEG quality 90), the captions, the
augmentations (drawn and applied exactly as Apple's reinforcement code does with torchvision: RandomResizedCrop's
get_params, then RandAugment with 2 ops at magnitude 9 of 31 bins, signed at random), and two teachers - small CLIP
models trained here with PyTorch on the clean captions, one 32 wide and one 24 wide - whose embeddings of every stored
augmentation and of every caption are stored, each teacher's part L2-normalised on its own, as DataCompDR stores ViT-L/14
pairs. Deterministic: the same torch/torchvision/PIL give the same bytes.

Needs Debian's python3-torch, python3-torchvision, python3-numpy, python3-pil. Usage: make_mini_datacompdr.py [OUT]
"""
import gzip
import hashlib
import io
import json
import math
import os
import sys
import tarfile

import numpy as np
import torch
import torch.nn.functional as nnf
import torchvision.transforms as T
import torchvision.transforms.functional as F
from torchvision.transforms.autoaugment import _apply_op
from PIL import Image, ImageDraw

COLOURS = {"red": (200, 40, 40), "green": (40, 170, 60), "blue": (40, 70, 200), "yellow": (220, 200, 40),
           "purple": (140, 50, 170), "orange": (230, 130, 30), "white": (235, 235, 235), "black": (25, 25, 25)}
SHAPES = ["circle", "square", "triangle", "cross"]
CLASSES = [f"{c} {s}" for c in COLOURS for s in SHAPES]
WIDTH, HEIGHT = 64, 48        # not square: crop boxes are in original pixels, rows and columns differ
SHARDS, PER_SHARD, AUGS, SYN = 2, 160, 4, 5
TEACHER_SIZE = 32
OPS = ["Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast",
       "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize"]   # Apple's RandAugment.op_names
WORDS = sorted({w for c in CLASSES for w in c.split()} | {"a", "photo", "of", "picture", "the", "image", "with",
                                                           "logo", "sale", "free", "shipping", "new", "best"})


def render(rng, colour, shape):
    bg = tuple(int(v) for v in rng.integers(70, 180, 3))
    img = Image.new("RGB", (WIDTH, HEIGHT), bg)
    d = ImageDraw.Draw(img)
    r = int(rng.integers(9, 18))
    cx, cy = int(rng.integers(r, WIDTH - r)), int(rng.integers(r, HEIGHT - r))
    fill = COLOURS[colour]
    if shape == "circle":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif shape == "square":
        d.rectangle([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif shape == "triangle":
        d.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=fill)
    else:
        w = max(3, r // 3)
        d.rectangle([cx - r, cy - w, cx + r, cy + w], fill=fill)
        d.rectangle([cx - w, cy - r, cx + w, cy + r], fill=fill)
    noise = rng.integers(-12, 13, (HEIGHT, WIDTH, 3))
    arr = np.clip(np.asarray(img, dtype=np.int16) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(arr, "RGB")


def web_caption(rng, colour, shape):
    """GT captions as a web pool has them: mostly right, some with a wrong colour, some junk."""
    u = rng.random()
    if u < 0.6:
        return f"a photo of a {colour} {shape}"
    if u < 0.8:
        other = [c for c in COLOURS if c != colour][int(rng.integers(0, len(COLOURS) - 1))]
        return f"a {other} {shape} picture"
    return " ".join(rng.choice(["logo", "sale", "free", "shipping", "new", "best", "image"], 4))


def synthetic(rng, colour, shape, accuracy):
    out = []
    for _ in range(SYN):
        c = colour if rng.random() < accuracy else list(COLOURS)[int(rng.integers(0, len(COLOURS)))]
        s = shape if rng.random() < accuracy else SHAPES[int(rng.integers(0, len(SHAPES)))]
        out.append(["a {} {}", "the {} {}", "an image of a {} {}", "a {} {} with a plain background", "a picture of a {} {}"][len(out)].format(c, s))
    return out


def draw_augmentation(img, gen):
    """Apple's reinforcement: RandomResizedCrop.get_params on the original image, then RandAugment's choices."""
    i, j, h, w = T.RandomResizedCrop.get_params(img, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3))
    meta = T.RandAugment()._augmentation_space(31, (TEACHER_SIZE, TEACHER_SIZE))
    ops = []
    for _ in range(2):
        index = int(torch.randint(len(meta), (1,), generator=gen).item())
        name = list(meta.keys())[index]
        magnitudes, signed = meta[name]
        m = float(magnitudes[9].item()) if magnitudes.ndim > 0 else 0.0
        if signed and torch.randint(2, (1,), generator=gen):
            m *= -1.0
        ops.append([OPS.index(name), m])
    return [[int(i), int(j), int(h), int(w)], ops]


def replay(img, aug, size):
    (i, j, h, w), ops = aug
    out = F.resized_crop(img, i, j, h, w, [size, size], interpolation=T.InterpolationMode.BICUBIC)
    for index, m in ops:
        out = _apply_op(out, OPS[index], m, interpolation=T.InterpolationMode.NEAREST, fill=None)
    return out


def tokens(text):
    return [WORDS.index(t) for t in text.split() if t in WORDS]


class Teacher(torch.nn.Module):
    def __init__(self, width, dim):
        super().__init__()
        self.conv = torch.nn.Sequential(
            torch.nn.Conv2d(3, width, 3, stride=2, padding=1), torch.nn.GELU(),
            torch.nn.Conv2d(width, width * 2, 3, stride=2, padding=1), torch.nn.GELU(),
            torch.nn.AdaptiveAvgPool2d(2), torch.nn.Flatten(), torch.nn.Linear(width * 8, dim))
        self.words = torch.nn.EmbeddingBag(len(WORDS), dim, mode="mean")
        self.scale = torch.nn.Parameter(torch.tensor(math.log(10.0)))

    def image(self, x):
        return nnf.normalize(self.conv(x), dim=-1)

    def text(self, texts):
        ids, offsets = [], []
        for t in texts:
            offsets.append(len(ids))
            ids.extend(tokens(t) or [WORDS.index("a")])
        return nnf.normalize(self.words(torch.tensor(ids), torch.tensor(offsets)), dim=-1)


def to_tensor(imgs):
    return torch.stack([F.normalize(F.to_tensor(im), [0.5] * 3, [0.25] * 3) for im in imgs])


def train_teacher(seed, width, dim, images, labels):
    torch.manual_seed(seed)
    model = Teacher(width, dim)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    gen = torch.Generator().manual_seed(seed)
    clean = [f"a photo of a {CLASSES[y]}" for y in labels]
    for epoch in range(120):
        order = torch.randperm(len(images), generator=gen).tolist()
        for b in range(0, len(order) - 63, 64):
            rows = order[b:b + 64]
            views = [replay(images[r], draw_augmentation(images[r], gen), TEACHER_SIZE) for r in rows]
            zi, zt = model.image(to_tensor(views)), model.text([clean[r] for r in rows])
            logits = model.scale.exp() * zi @ zt.T
            target = torch.arange(len(rows))
            loss = (nnf.cross_entropy(logits, target) + nnf.cross_entropy(logits.T, target)) / 2
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


def jpeg(img):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def npz(arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def pth_gz(arrays):
    buf = io.BytesIO()
    torch.save({k: torch.from_numpy(v).to(torch.bfloat16) for k, v in arrays.items()}, buf)
    return gzip.compress(buf.getvalue(), mtime=0)


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "data"))
    for sub in ("images", "dr", "eval"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    rng = np.random.default_rng(12)
    torch.manual_seed(12)
    n = SHARDS * PER_SHARD
    labels = [int(rng.integers(0, len(CLASSES))) for _ in range(n)]
    images = [render(rng, *CLASSES[y].split()) for y in labels]
    encoded = [jpeg(im) for im in images]
    # The teachers see the decoded JPEGs, as Apple's teachers saw the DataComp images.
    decoded = [Image.open(io.BytesIO(b)).convert("RGB") for b in encoded]
    teachers = [train_teacher(1, 12, 32, decoded, labels), train_teacher(2, 8, 24, decoded, labels)]
    eval_rng = np.random.default_rng(99)
    eval_labels = [k % len(CLASSES) for k in range(4 * len(CLASSES))]
    eval_images = [Image.open(io.BytesIO(jpeg(render(eval_rng, *CLASSES[y].split())))).convert("RGB") for y in eval_labels]
    with torch.no_grad():
        views = to_tensor([F.resize(im, [TEACHER_SIZE, TEACHER_SIZE], interpolation=T.InterpolationMode.BICUBIC) for im in eval_images])
        for name, t in zip(("wide", "narrow"), teachers):
            pred = (t.image(views) @ t.text([f"a photo of a {c}" for c in CLASSES]).T).argmax(1)
            print(f"teacher {name}: zero-shot top-1 {(pred == torch.tensor(eval_labels)).float().mean():.3f} on {len(eval_labels)} fresh images")
    gen = torch.Generator().manual_seed(7)
    for s in range(SHARDS):
        with tarfile.open(os.path.join(out, "images", f"{s:08d}.tar"), "w", format=tarfile.USTAR_FORMAT) as img_tar, \
             tarfile.open(os.path.join(out, "dr", f"{s:08d}.tar"), "w", format=tarfile.USTAR_FORMAT) as dr_tar:
            for k in range(PER_SHARD):
                r = s * PER_SHARD + k
                key, uid = f"{r:09d}", hashlib.md5(f"mini-{r}".encode()).hexdigest()
                colour, shape = CLASSES[labels[r]].split()
                caption = web_caption(rng, colour, shape)
                add(img_tar, f"{key}.jpg", encoded[r])
                add(img_tar, f"{key}.txt", caption.encode())
                add(img_tar, f"{key}.json", json.dumps({"uid": uid, "caption": caption}).encode())
                syn = {"syn_text_coca": synthetic(rng, colour, shape, 0.7), "syn_text_coca_ft": synthetic(rng, colour, shape, 0.95)}
                augs = [draw_augmentation(decoded[r], gen) for _ in range(AUGS)]
                with torch.no_grad():
                    views = to_tensor([replay(decoded[r], a, TEACHER_SIZE) for a in augs])
                    image_emb = torch.cat([t.image(views) for t in teachers], 1).numpy().astype(np.float32)
                    def text_emb(texts):
                        return torch.cat([t.text(texts) for t in teachers], 1).numpy().astype(np.float32)
                    arrays = {"image_emb": image_emb, "text_emb": text_emb([caption])}
                    for name, captions in syn.items():
                        arrays[f"{name}_emb"] = text_emb(captions)
                add(dr_tar, f"{key}.url.txt", f"https://example.invalid/mini/{uid}.jpg".encode())
                add(dr_tar, f"{key}.json", json.dumps({"uid": uid, "sha256": hashlib.sha256(encoded[r]).hexdigest()}).encode())
                add(dr_tar, f"{key}.syn.json", json.dumps(syn).encode())
                add(dr_tar, f"{key}.paug.json", json.dumps({"param_aug": augs}).encode())
                if s == 0:
                    add(dr_tar, f"{key}.npz", npz(arrays))
                else:
                    add(dr_tar, f"{key}.pth.gz", pth_gz(arrays))
    with tarfile.open(os.path.join(out, "eval", "00000000.tar"), "w", format=tarfile.USTAR_FORMAT) as ev:
        for k in range(2 * len(CLASSES)):
            y = k % len(CLASSES)
            add(ev, f"{k:06d}.jpg", jpeg(render(rng, *CLASSES[y].split())))
            add(ev, f"{k:06d}.cls", str(y).encode())
    with open(os.path.join(out, "eval", "classnames.json"), "w") as f:
        json.dump(CLASSES, f)
    print(f"wrote {n} samples in {SHARDS} shards, {2 * len(CLASSES)} eval images, to {out}")


if __name__ == "__main__":
    main()
