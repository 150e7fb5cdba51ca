"""Images read one pixel per time step: sequential and permuted pixel classification.

Le, Jaitly & Hinton (2015) feed MNIST's 28x28 images to an RNN one pixel at a time (784 steps) and ask
for the digit at the end; the *permuted* variant applies one fixed random permutation to the pixel order
first, so that neighbouring pixels land far apart in time. Here the same tasks are built from
scikit-learn's 8x8 digits (1797 images, shipped with the package, no download); readers who have the
MNIST IDX files can load them with ``load_mnist``.

Sixty-four steps are short, so the length of the dependency can be stretched two ways:
``repeat`` shows every pixel for ``repeat`` consecutive steps (upsampling in time) and ``blanks``
appends that many zero steps after the image, which the network must carry its answer across.
"""
from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

from .._validate import check_int, check_positive_int

TASKS = ("sequential", "permuted")


def pixel_permutation(n_pixels: int, seed: int = 0) -> np.ndarray:
    """The fixed pixel order of the permuted task: ``np.random.default_rng(seed).permutation(n_pixels)``."""
    n_pixels = check_positive_int("n_pixels", n_pixels)
    return np.random.default_rng(seed).permutation(n_pixels)


def pixel_sequences(images, task: str = "sequential", repeat: int = 1, blanks: int = 0,
                    permutation_seed: int = 0) -> np.ndarray:
    """Turn a batch of images into sequences of one pixel per step.

    ``images`` is ``(N, height, width)`` or already flat ``(N, P)``. Returns float32 ``(N, T, 1)`` with
    ``T = repeat * P + blanks``: the pixels in row-major order (``"sequential"``) or in the fixed order
    ``pixel_permutation(P, permutation_seed)`` (``"permuted"``), each repeated ``repeat`` times, then
    ``blanks`` zeros. The input is not modified.
    """
    if task not in TASKS:
        raise ValueError(f"task: expected one of {TASKS}, got {task!r}")
    repeat = check_positive_int("repeat", repeat)
    blanks = check_int("blanks", blanks, 0)
    arr = np.asarray(images)
    if arr.ndim not in (2, 3) or 0 in arr.shape or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"images: expected a numeric batch of shape (N, height, width) or (N, P), "
                         f"got shape {arr.shape} and dtype {arr.dtype}")
    flat = arr.reshape(len(arr), -1).astype(np.float32)
    if task == "permuted":
        flat = flat[:, pixel_permutation(flat.shape[1], permutation_seed)]
    seq = np.repeat(flat, repeat, axis=1)
    seq = np.concatenate([seq, np.zeros((len(seq), int(blanks)), np.float32)], axis=1)
    return seq[:, :, None]


def load_digits_split(test_fraction: float = 0.2, seed: int = 0):
    """scikit-learn's 8x8 digits scaled to [0, 1], split into a stratified train and test set.

    Returns ``(x_train, y_train, x_test, y_test)`` with images ``(n, 8, 8)`` float32, labels int64.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction: expected a number in (0, 1), got {test_fraction!r}")
    d = load_digits()
    images = (d.images / 16.0).astype(np.float32)
    xtr, xte, ytr, yte = train_test_split(images, d.target.astype(np.int64), test_size=test_fraction,
                                          random_state=seed, stratify=d.target)
    return xtr, ytr, xte, yte


def pixel_task(task: str = "sequential", repeat: int = 1, blanks: int = 0, seed: int = 0,
               data=None):
    """The (sequential or permuted) pixel classification task, ready for ``train``.

    ``data`` is ``(x_train, y_train, x_test, y_test)`` images (e.g. from ``load_mnist``); by default the
    8x8 digits of ``load_digits_split(seed=seed)``. Returns ``(x_train, y_train, x_test, y_test)`` with
    sequences ``(n, T, 1)``, ``T = repeat * P + blanks`` (see ``pixel_sequences``).
    """
    if task not in TASKS:
        raise ValueError(f"task: expected one of {TASKS}, got {task!r}")
    xtr, ytr, xte, yte = load_digits_split(seed=seed) if data is None else data
    make = lambda x: pixel_sequences(x, task, repeat, blanks, permutation_seed=seed)  # noqa: E731
    return make(xtr), np.asarray(ytr), make(xte), np.asarray(yte)


# --- MNIST from IDX files (LeCun et al. 1998), for readers who have them ---------------------------

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path) -> np.ndarray:
    """Read one IDX file (the format of MNIST's ``*-ubyte`` files, optionally gzipped) into an array."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"path: {path} is not an IDX file (bad magic number {raw[:4]!r})")
    ndim = raw[3]
    dims = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    data = np.frombuffer(raw, dtype=dtype, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"path: {path} declares shape {dims} ({int(np.prod(dims))} values) "
                         f"but holds {data.size}")
    return data.reshape(dims).astype(dtype.newbyteorder("="))


def load_mnist(directory):
    """MNIST from the four IDX files in ``directory`` (``train-images-idx3-ubyte`` etc., ``.gz`` or not).

    Returns ``(x_train, y_train, x_test, y_test)``: images float32 in [0, 1] of shape ``(n, 28, 28)``,
    labels int64 -- the same layout as ``load_digits_split``, so ``pixel_task(data=load_mnist(dir))``
    gives the 784-step task of Le et al. (2015).
    """
    directory = Path(directory)

    def find(stem):
        for name in (stem, stem + ".gz"):
            if (directory / name).exists():
                return directory / name
        raise ValueError(f"directory: expected {stem} or {stem}.gz in {directory}, found neither")

    out = []
    for split in ("train", "t10k"):
        x = read_idx(find(f"{split}-images-idx3-ubyte"))
        y = read_idx(find(f"{split}-labels-idx1-ubyte"))
        if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise ValueError(f"directory: {split} images {x.shape} and labels {y.shape} do not match")
        out += [(x / 255.0).astype(np.float32), y.astype(np.int64)]
    return tuple(out)
