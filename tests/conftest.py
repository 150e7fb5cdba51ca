import numpy as np
import pytest
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # small models: one thread is fastest and avoids oversubscribing 2 cores


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
