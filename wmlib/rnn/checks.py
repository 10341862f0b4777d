"""Checkers for the exercises of the trained-network and metrics chapters (see :mod:`wmlib.check`).

They need torch, imported when a checker runs.
"""

from __future__ import annotations

import numpy as np

from wmlib.check import Mismatch, call, checker, compare, passed

_N_CASES = 10


def _random_state(rng, batch: int, n: int):
    import torch

    from wmlib.rnn.model import RNNState

    as_t = lambda a: torch.from_numpy(a.astype(np.float32))
    return RNNState(as_t(rng.gamma(1.0, 1.0, (batch, n))), as_t(rng.uniform(0, 1, (batch, n))),
                    as_t(rng.uniform(0, 1, (batch, n))))


def _as_state(got, func_name: str, inputs: dict):
    import torch

    if not isinstance(got, tuple) or len(got) != 3 or not all(isinstance(v, torch.Tensor) for v in got):
        raise Mismatch(f"{func_name} should return an RNNState (h, x, u) of three tensors; got {type(got).__name__}.")
    return got


@checker("rnn-ex-step")
def stsp_step(func) -> None:
    """Check ``func(net, inputs_t, state)``: the state after one noiseless step of ``net`` (eqs. rnn-stsp, rnn-h).

    ``inputs_t`` has shape (batch, n_input), ``state`` is the :class:`RNNState` before the step.  Compared with
    ``net(inputs_t[None], state=state, noise=False).state(0)`` on small random networks.
    """
    import torch

    from wmlib.rnn.model import STSPRNN, RNNConfig

    rng = np.random.default_rng(17)
    for case in range(_N_CASES):
        net = STSPRNN(RNNConfig(n_input=6, n_hidden=12), rng=case)
        state = _random_state(rng, 4, 12)
        inputs_t = torch.from_numpy(rng.uniform(0, 1, (4, 6)).astype(np.float32))
        inputs = {"net": net, "inputs_t": inputs_t, "state": state}
        with torch.no_grad():
            got = _as_state(call(func, "stsp_step", inputs), "stsp_step", inputs)
            expected = net(inputs_t[None], state=state, noise=False).state(0)
        for what, g, e in zip(("h", "x", "u"), got, expected):
            compare(g.detach().numpy(), e.numpy(), what=what, func_name="stsp_step", inputs=inputs, rtol=1e-5,
                    atol=1e-6)
    passed(f"stsp_step agrees with the network's own step on {_N_CASES} random networks and states.")


def _find_permutation(new, old):
    """For each row of ``new``, the index of an equal row of ``old`` (or -1)."""
    eq = (new[:, None, :] == old[None, :, :]).all(-1)
    return np.where(eq.any(1), eq.argmax(1), -1)


@checker("rnn-ex-shuffle")
def shuffle_state(func) -> None:
    """Check ``func(state, kind, perm)``: ``kind`` "none" keeps the state, "neuronal" gives every trial the activity
    ``h`` of trial ``perm[k]``, "synaptic" gives it ``x`` and ``u`` of trial ``perm[k]`` (``perm`` a tensor)."""
    import torch

    from wmlib.rnn.model import RNNState

    rng = np.random.default_rng(19)
    for _ in range(_N_CASES):
        state = _random_state(rng, 8, 5)
        perm = torch.from_numpy(rng.permutation(8))
        moved = {"none": (), "neuronal": ("h",), "synaptic": ("x", "u")}
        for kind, which in moved.items():
            inputs = {"state": state, "kind": kind, "perm": perm}
            got = _as_state(call(func, "shuffle_state", inputs), "shuffle_state", inputs)
            expected = RNNState(*(v[perm] if name in which else v for name, v in zip(("h", "x", "u"), state)))
            for name, g, e in zip(("h", "x", "u"), got, expected):
                if not torch.equal(g, e):
                    what = "should be permuted across trials" if name in which else "should be left as it is"
                    raise Mismatch(f"shuffle_state(state, kind={kind!r}, perm={perm.tolist()}): {name} {what}.")
    passed(f"shuffle_state moves the right variables on {_N_CASES} random states.")


@checker("met-ex-shuffle")
def synaptic_shuffle(func) -> None:
    """Check ``func(state, rng)``: every trial keeps its ``h`` and gets ``x`` and ``u`` of one other trial (one
    permutation, drawn from the numpy generator ``rng``, for both)."""
    import torch

    rng = np.random.default_rng(23)
    perms = []
    for case in range(_N_CASES):
        state = _random_state(rng, 16, 6)
        inputs = {"state": state, "rng": np.random.default_rng(case)}
        got = _as_state(call(func, "synaptic_shuffle", inputs), "synaptic_shuffle", inputs)
        if not torch.equal(got.h, state.h):
            raise Mismatch("synaptic_shuffle changed h: the activity of every trial must stay as it is.")
        px, pu = _find_permutation(got.x.numpy(), state.x.numpy()), _find_permutation(got.u.numpy(), state.u.numpy())
        if (px < 0).any() or (pu < 0).any():
            raise Mismatch("some rows of the shuffled x or u are not rows of the original: move whole trials "
                           "(index the first axis), do not shuffle values within a trial.")
        if sorted(px.tolist()) != list(range(16)):
            raise Mismatch("the shuffled x repeats some trials and loses others: use a permutation of the trials.")
        if not np.array_equal(px, pu):
            raise Mismatch("x and u were shuffled with different permutations: each trial must get x and u from the "
                           "same other trial, or it gets a synaptic state that never existed.")
        perms.append(tuple(px))
    if all(p == tuple(range(16)) for p in perms):
        raise Mismatch("synaptic_shuffle never moves anything: the permutation is always the identity.")
    if len(set(perms)) == 1:
        raise Mismatch("synaptic_shuffle gives the same permutation for every rng: draw it from the rng you are given.")
    passed(f"synaptic_shuffle moves whole synaptic states between trials, on {_N_CASES} random batches.")
