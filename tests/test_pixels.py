"""Pixel-by-pixel tasks: sequence layout, the fixed permutation, stretching, IDX loading, bad input."""
import gzip
import struct

import numpy as np
import pytest

import rnnlib as rl
from rnnlib.tasks.pixels import read_idx


def test_sequential_reads_row_major_and_appends_blanks_after_repeats(rng):
    images = rng.random((3, 2, 4))
    before = images.copy()
    seq = rl.pixel_sequences(images, repeat=2, blanks=5)
    assert seq.shape == (3, 2 * 8 + 5, 1) and seq.dtype == np.float32
    flat = images.reshape(3, 8).astype(np.float32)
    assert np.array_equal(seq[:, 0:16:2, 0], flat) and np.array_equal(seq[:, 1:16:2, 0], flat)
    assert np.all(seq[:, 16:, 0] == 0)
    assert np.array_equal(images, before)                                 # input untouched
    assert np.array_equal(rl.pixel_sequences(images.reshape(3, 8)), rl.pixel_sequences(images))


def test_permuted_is_one_fixed_permutation_for_every_image(rng):
    images = rng.random((5, 3, 3))
    seq = rl.pixel_sequences(images, "permuted", permutation_seed=7)[:, :, 0]
    perm = rl.pixel_permutation(9, seed=7)
    assert sorted(perm) == list(range(9)) and not np.array_equal(perm, np.arange(9))
    assert np.array_equal(seq, images.reshape(5, 9)[:, perm].astype(np.float32))
    again = rl.pixel_sequences(images, "permuted", permutation_seed=7)[:, :, 0]
    assert np.array_equal(seq, again)
    assert not np.array_equal(seq, rl.pixel_sequences(images, "permuted", permutation_seed=8)[:, :, 0])


def test_pixel_task_on_the_digits():
    xtr, ytr, xte, yte = rl.pixel_task("sequential", blanks=3)
    assert xtr.shape == (1437, 67, 1) and xte.shape == (360, 67, 1)
    assert ytr.dtype == np.int64 and set(np.unique(ytr)) == set(range(10))
    assert 0.0 <= xtr.min() and xtr.max() <= 1.0 and np.all(xtr[:, 64:] == 0)
    ptr, _, pte, _ = rl.pixel_task("permuted", blanks=3)
    perm = rl.pixel_permutation(64, 0)
    assert np.array_equal(ptr[:, :64], xtr[:, perm]) and np.array_equal(pte[:, :64], xte[:, perm])
    xtr2, ytr2, _, _ = rl.pixel_task("sequential", blanks=3)
    assert np.array_equal(xtr, xtr2) and np.array_equal(ytr, ytr2)       # same seed, same split


@pytest.mark.parametrize("kwargs, match", [
    ({"task": "shuffled"}, r"task: expected one of \('sequential', 'permuted'\), got 'shuffled'"),
    ({"repeat": 0}, r"repeat: expected a positive integer \(>= 1\), got 0"),
    ({"repeat": 1.5}, r"repeat: expected a positive integer"),
    ({"blanks": -1}, r"blanks: expected a non-negative integer, got -1"),
])
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rl.pixel_sequences(np.zeros((2, 3, 3)), **kwargs)
    if "task" in kwargs:
        with pytest.raises(ValueError, match="task"):
            rl.pixel_task(kwargs["task"])


@pytest.mark.parametrize("shape", [(9,), (2, 3, 3, 1), (0, 3, 3)])
def test_wrong_shaped_batch(shape):
    with pytest.raises(ValueError, match=r"images: expected a numeric batch of shape \(N, height, width\) "
                                         rf"or \(N, P\), got shape \({shape[0]},"):
        rl.pixel_sequences(np.zeros(shape))
    with pytest.raises(ValueError, match="n_pixels"):
        rl.pixel_permutation(0)


def _write_idx(path, array, code=0x08):
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.astype(">u1" if code == 0x08 else ">i4").tobytes()
    (gzip.open if str(path).endswith(".gz") else open)(path, "wb").write(data)


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_reads_idx_files_the_test_writes(tmp_path, rng, gz):
    ext = ".gz" if gz else ""
    images = {s: rng.integers(0, 256, size=(n, 28, 28)).astype(np.uint8) for s, n in [("train", 5), ("t10k", 3)]}
    labels = {s: rng.integers(0, 10, size=n).astype(np.uint8) for s, n in [("train", 5), ("t10k", 3)]}
    for s in images:
        _write_idx(tmp_path / f"{s}-images-idx3-ubyte{ext}", images[s])
        _write_idx(tmp_path / f"{s}-labels-idx1-ubyte{ext}", labels[s])
    xtr, ytr, xte, yte = rl.load_mnist(tmp_path)
    assert xtr.shape == (5, 28, 28) and xtr.dtype == np.float32 and ytr.dtype == np.int64
    assert np.allclose(xtr, images["train"] / 255.0) and np.array_equal(yte, labels["t10k"])
    seq = rl.pixel_task("sequential", data=(xtr, ytr, xte, yte))[0]
    assert seq.shape == (5, 784, 1)                                       # the 784 steps of Le et al.


def test_read_idx_other_dtype_and_bad_files(tmp_path):
    a = np.arange(-6, 6).reshape(3, 4)
    _write_idx(tmp_path / "a.idx", a, code=0x0C)
    assert np.array_equal(read_idx(tmp_path / "a.idx"), a)
    (tmp_path / "bad.idx").write_bytes(b"PK\x03\x04junk")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(tmp_path / "bad.idx")
    (tmp_path / "short.idx").write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + b"\x00" * 4)
    with pytest.raises(ValueError, match=r"declares shape \(10,\).*holds 4"):
        read_idx(tmp_path / "short.idx")
    with pytest.raises(ValueError, match="train-images-idx3-ubyte or train-images-idx3-ubyte.gz"):
        rl.load_mnist(tmp_path)
