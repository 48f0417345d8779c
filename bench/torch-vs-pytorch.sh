#!/usr/bin/env bash
# The training step against PyTorch (issue 11): the cnn-tiny image tower, batch 128 of 32×32, contrastive loss
# against fixed teacher embeddings, AdamW — TorchSharp through the runner's own CnnEncoder and AdamW
# (bench/Ablations.Bench/TorchPeerBenchmark.cs) and Debian's python3-torch 1.13 (bench/torch_peer.py), at 1 and 2
# torch threads; the two alternate, REPEATS processes each, and the medians of their ms/step are compared.
#
# OpenBLAS: Debian's python3-torch calls BLAS through libblas.so.3, which is the slow reference BLAS unless
# libopenblas0-pthread is installed (its alternative then takes over). The script puts OpenBLAS's folder first on
# LD_LIBRARY_PATH, so libblas.so.3 resolves to OpenBLAS either way, and each PyTorch line names the BLAS it loaded.
# Needs: apt-get install python3-torch libopenblas0-pthread; dotnet build bench/Ablations.Bench -c Release.
# Usage: bench/torch-vs-pytorch.sh [REPEATS] (default 5).
set -euo pipefail
repeats=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
bench=$root/bench/Ablations.Bench/bin/Release/net10.0/Ablations.Bench.dll
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
[ -f "$bench" ] || { echo "build first: dotnet build bench/Ablations.Bench -c Release" >&2; exit 2; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "install the peer first: apt-get install python3-torch" >&2; exit 2; }
[ -f "$openblas/libblas.so.3" ] || { echo "install OpenBLAS first: apt-get install libopenblas0-pthread" >&2; exit 2; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { sed -n 's/.*ms\/step \([0-9.]*\).*/\1/p'; }
for threads in 1 2; do
  ts=(); py=()
  for r in $(seq "$repeats"); do
    ts+=("$(dotnet "$bench" torch-peer --threads "$threads" | ms)")
    line=$(LD_LIBRARY_PATH=$openblas /usr/bin/python3 "$root/bench/torch_peer.py" --threads "$threads")
    [ "$r" = 1 ] && echo "  $line" >&2
    py+=("$(echo "$line" | ms)")
  done
  t=$(printf '%s\n' "${ts[@]}" | median); p=$(printf '%s\n' "${py[@]}" | median)
  printf 'threads %d: TorchSharp %6.2f ms/step  PyTorch+OpenBLAS %6.2f ms/step  ratio %.2f   (TorchSharp %s | PyTorch %s)\n' \
    "$threads" "$t" "$p" "$(echo "$t / $p" | bc -l)" "${ts[*]}" "${py[*]}"
done
