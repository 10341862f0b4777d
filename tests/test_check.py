"""Every exercise checker accepts a correct answer and explains a wrong one (the synapse ones: tests/synapse)."""

import numpy as np
import pytest

from wmlib import analysis, behaviour, check
from wmlib import astrocyte as ast
from wmlib import capacity as cap

torch = pytest.importorskip("torch")
from wmlib import rnn  # noqa: E402


def test_every_registered_checker_is_tested_here_or_in_its_mechanism():
    tested = {"tm_spike", "steady_state", "run_synapse", "half_time"} | {c[0] for c in CORRECT}
    assert set(check.checkers()) == tested


# --------------------------------------------------------------------------------------------- correct answers
def good_pev(z, theta):
    X = np.column_stack([np.ones_like(theta), np.cos(theta), np.sin(theta)])
    w, *_ = np.linalg.lstsq(X, z, rcond=None)
    return 1 - np.sum((z - X @ w) ** 2) / np.sum((z - z.mean()) ** 2), np.arctan2(w[2], w[1])


def good_step(net, inputs_t, state):
    return net(inputs_t[None], state=state, noise=False).state(0)


def good_shuffle_state(state, kind, perm):
    h, x, u = state
    return {"neuronal": rnn.RNNState(h[perm], x, u), "synaptic": rnn.RNNState(h, x[perm], u[perm])}.get(kind, state)


def good_synaptic_shuffle(state, rng):
    perm = torch.from_numpy(rng.permutation(state.h.shape[0]))
    return rnn.RNNState(state.h, state.x[perm], state.u[perm])


def _held(loads):
    return [int(cap.summarize(cap.ClusterParams(I_b=4.0), cap.LoadingProtocol(n_items=int(k)), duration=4.0,
                              window=1.5).n_active) for k in loads]


CORRECT = [
    ("cowan_k", (lambda h, f, n: n * (h - f),)),
    ("decay_time", (lambda t, u, U: -1 / np.polyfit(t, np.log(u - U), 1)[0],)),
    ("items_held", ([1, 4, 9], _held([1, 4, 9]))),
    ("stsp_step", (good_step,)),
    ("shuffle_state", (good_shuffle_state,)),
    ("synaptic_shuffle", (good_synaptic_shuffle,)),
    ("pev", (good_pev,)),
    ("psnr", (ast.psnr,)),
]


@pytest.mark.parametrize("name, args", CORRECT, ids=[c[0] for c in CORRECT])
def test_a_correct_answer_passes(name, args, capsys):
    getattr(check, name)(*args)
    assert capsys.readouterr().out.startswith("\N{CHECK MARK}")


# ---------------------------------------------------------------------------------------------- wrong answers
def _swap_xu(state, rng):  # a different permutation for u than for x
    perm = torch.from_numpy(rng.permutation(state.h.shape[0]))
    return rnn.RNNState(state.h, state.x[perm], state.u[perm.flip(0)])


WRONG = [
    ("cowan_k", (lambda h, f, n: h - f,), r"capacity_k\(hit_rate=.*returned K"),
    ("decay_time", (lambda t, u, U: -1 / np.polyfit(t, np.log(u), 1)[0],), r"returned tau = .*; expected"),  # forgot U
    ("items_held", ([1, 4, 9], [1, 4, 9]), "after loading 9 items you count 9 held"),
    ("items_held", ([1, 4], [1]), "one number of items held per load"),
    ("stsp_step", (lambda net, i, s: rnn.RNNState(s.h, s.x, s.u),),
     r"stsp_step\(net=a small random network.*state=RNNState\(h=a tensor.*returned h with .* values wrong; "
     r"the first, h\[0, 0\]"),
    ("stsp_step", (lambda net, i, s: s.h,), "should return an RNNState"),
    ("shuffle_state", (lambda s, kind, perm: rnn.RNNState(s.h[perm], s.x[perm], s.u[perm]),),
     "kind=.none.*h should be left as it is"),
    ("synaptic_shuffle", (lambda s, rng: rnn.RNNState(s.h, s.x.flip(1), s.u.flip(1)),), "not rows of the original"),
    ("synaptic_shuffle", (_swap_xu,), "different permutations"),
    ("synaptic_shuffle", (lambda s, rng: s,), "never moves anything"),
    ("synaptic_shuffle", (lambda s, rng: good_synaptic_shuffle(s, np.random.default_rng(0)),), "same permutation"),
    ("synaptic_shuffle", (lambda s, rng: rnn.RNNState(s.h + 1, s.x, s.u),), "changed h"),
    ("pev", (lambda z, theta: (good_pev(z, theta)[0], np.degrees(good_pev(z, theta)[1])),), "radians"),
    ("pev", (lambda z, theta: (np.corrcoef(z, np.cos(theta))[0, 1] ** 2, 0.0),), "returned the PEV"),
    ("psnr", (lambda m, img: 10 * np.log10(255**2 / np.mean((m - 255 * img) ** 2)),), r"psnr\(rate_map=an array"),
]


@pytest.mark.parametrize("name, args, message", WRONG, ids=[f"{w[0]}-{k}" for k, w in enumerate(WRONG)])
def test_a_wrong_answer_is_explained(name, args, message):
    with pytest.raises(check.Mismatch, match=message):
        getattr(check, name)(*args)


def test_checkers_are_found_without_a_central_list():
    mechanisms = {c.mechanism for c in check.checkers().values()}
    assert {"synapse", "behaviour", "network", "capacity", "rnn", "analysis", "astrocyte"} <= mechanisms
    assert behaviour.cowan_k(0.5, 0.1, 4) == pytest.approx(1.6) and analysis.direction_tuning  # the references


def test_student_rng_is_stable_and_personal():
    a, b = check.student_rng("s123").uniform(size=3), check.student_rng("s123").uniform(size=3)
    assert np.array_equal(a, b) and not np.array_equal(a, check.student_rng("s124").uniform(size=3))
    assert check.student_rng(42).uniform() == check.student_rng("42").uniform()
    # fixed across machines and sessions (sha256 of the identifier seeds numpy's PCG64), so a grader recomputes it
    assert check.student_rng("s123").integers(0, 10**6) == 606304
    with pytest.raises(ValueError, match="student_id"):
        check.student_rng("  ")
    with pytest.raises(TypeError, match="student_id"):
        check.student_rng(None)
