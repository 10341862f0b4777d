"""The STSP network: constraints, the STSP equations on a hand-computed step, the hand-written backward pass."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from wmlib.rnn._engine_numba import STSPNetworkCPU  # noqa: E402
from wmlib.rnn._engine_torch import STSPRecurrence, recurrence_autograd  # noqa: E402
from wmlib.rnn._step import StepConstants  # noqa: E402
from wmlib.rnn.model import STSPRNN, RNNConfig  # noqa: E402


def check_constraints(net):
    w = net.effective_weights()
    n_exc = net.config.n_exc
    assert torch.all(w["w_in"] >= 0)
    assert torch.all(w["w_rec"][:n_exc] >= 0), "excitatory units must have non-negative outgoing weights"
    assert torch.all(w["w_rec"][n_exc:] <= 0), "inhibitory units must have non-positive outgoing weights"
    assert torch.all(torch.diagonal(w["w_rec"]) == 0), "no autapses"
    assert torch.all(w["w_out"][n_exc:] == 0), "only excitatory units project to the outputs"
    assert torch.all(w["w_out"] >= 0)


def test_architecture_and_initial_constraints():
    net = STSPRNN(RNNConfig(), rng=0)
    check_constraints(net)
    assert net.config.n_exc == 80
    U = net.U.numpy()
    assert np.allclose(U[0::2], 0.15) and np.allclose(U[1::2], 0.45)  # even facilitating, odd depressing
    assert np.allclose(net.alpha_u.numpy()[0::2], 10 / 1500) and np.allclose(net.alpha_x.numpy()[0::2], 10 / 200)
    assert np.allclose(net.alpha_u.numpy()[1::2], 10 / 200) and np.allclose(net.alpha_x.numpy()[1::2], 10 / 1500)
    assert torch.allclose(net.h0, torch.full((100,), 0.1))
    a, b = STSPRNN(RNNConfig(), rng=3), STSPRNN(RNNConfig(), rng=3)
    assert torch.equal(a.w_rnn, b.w_rnn)  # seeded initialisation


@pytest.mark.parametrize("engine", ["numba", "torch", "autograd"])
def test_one_step_by_hand(engine):
    """One step from a known state, computed independently with NumPy from the equations of the chapter."""
    cfg = RNNConfig(n_input=2, n_hidden=4, n_output=3, exc_fraction=0.5)
    net = STSPRNN(cfg, rng=0)
    with torch.no_grad():
        net.w_in.copy_(torch.tensor([[1.0, 0.5, 0.0, 2.0], [0.0, 1.0, 1.0, 0.0]]))
        net.w_rnn.copy_(torch.tensor([[0, 1.0, 2.0, 0.5], [0.5, 0, 1.0, 1.0], [1.0, 0.2, 0, 0.3], [0.4, 0.1, 0.6, 0]]))
        net.b_rnn.copy_(torch.tensor([0.1, -0.2, 0.0, 0.3]))
    h = np.array([[5.0, 2.0, 8.0, 1.0]])
    x = np.array([[0.9, 0.7, 0.5, 1.0]])
    u = np.array([[0.3, 0.5, 0.2, 0.6]])
    s = np.array([[1.5, 2.0]])
    with torch.no_grad():
        out = net(torch.tensor(s[None], dtype=torch.float32),
                  state=tuple(torch.tensor(v, dtype=torch.float32) for v in (h, x, u)), noise=False, engine=engine)
    U = np.array([0.15, 0.45, 0.15, 0.45])
    a_u = 10 / np.array([1500, 200, 1500, 200.0])
    a_x = 10 / np.array([200, 1500, 200, 1500.0])
    x1 = np.clip(x + a_x * (1 - x) - 0.01 * u * x * h, 0, 1)
    u1 = np.clip(u + a_u * (U - u) + 0.01 * U * (1 - u) * h, 0, 1)
    w_rec = np.array([[0, 1.0, 2.0, 0.5], [0.5, 0, 1.0, 1.0], [1.0, 0.2, 0, 0.3], [0.4, 0.1, 0.6, 0]])
    w_rec[2:] *= -1  # units 2, 3 inhibitory (Dale's law, by presynaptic unit)
    w_in = np.array([[1.0, 0.5, 0.0, 2.0], [0.0, 1.0, 1.0, 0.0]])
    h1 = np.maximum(0.9 * h + 0.1 * (s @ w_in + (u1 * x1 * h) @ w_rec + np.array([0.1, -0.2, 0.0, 0.3])), 0)
    np.testing.assert_allclose(out.x[0].numpy(), x1, rtol=1e-6)
    np.testing.assert_allclose(out.u[0].numpy(), u1, rtol=1e-6)
    np.testing.assert_allclose(out.h[0].numpy(), h1, rtol=1e-5)


def _random_problem(stsp, big):
    g = torch.Generator().manual_seed(1)
    T, B, N = 40, 8, 12
    scale = 60.0 if big else 3.0  # big rates drive x below 0 before the clip, exercising the clip's gradient
    drive = (scale * torch.rand(T, B, N, generator=g, dtype=torch.float64) - 0.2 * scale).requires_grad_()
    w = (0.2 * torch.randn(N, N, generator=g, dtype=torch.float64)).requires_grad_()
    h0 = (scale * torch.rand(B, N, generator=g, dtype=torch.float64)).requires_grad_()
    x0 = torch.rand(B, N, generator=g, dtype=torch.float64).requires_grad_()
    u0 = torch.rand(B, N, generator=g, dtype=torch.float64).requires_grad_()
    even = torch.arange(N) % 2 == 0
    U = torch.where(even, 0.15, 0.45).double()
    a_x = torch.where(even, 10 / 200, 10 / 1500).double()
    a_u = torch.where(even, 10 / 1500, 10 / 200).double()
    return (drive, w, h0, x0, u0, StepConstants(U, a_x, a_u, 0.9, 0.01, stsp))


@pytest.mark.parametrize("stsp", [True, False])
@pytest.mark.parametrize("big", [False, True])
def test_hand_written_backward_equals_autograd(stsp, big):
    args = _random_problem(stsp, big)
    ref = recurrence_autograd(*args)
    fused = STSPRecurrence.apply(*args)
    torch.testing.assert_close(fused[0], ref[0], rtol=1e-12, atol=1e-12)
    if stsp:
        torch.testing.assert_close(fused[1], ref[1], rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(fused[2], ref[2], rtol=1e-12, atol=1e-12)
        if big:
            assert bool((ref[1] == 0).any()), "the test should exercise the clip at x = 0"
    g = torch.Generator().manual_seed(2)
    weights = [torch.randn(ref[0].shape, generator=g, dtype=torch.float64) for _ in range(3)]
    inputs = [args[0], args[1], args[2]] + ([args[3], args[4]] if stsp else [])

    def scalar(out):
        total = (out[0] * weights[0]).sum()
        if stsp:
            total = total + (out[1] * weights[1]).sum() + (out[2] * weights[2]).sum()
        return total

    g_ref = torch.autograd.grad(scalar(ref), inputs)
    g_fused = torch.autograd.grad(scalar(fused), inputs)
    for a, b in zip(g_fused, g_ref):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("stsp", [True, False])
@pytest.mark.parametrize("big", [False, True])
def test_numba_engine_equals_autograd(stsp, big):
    """The compiled CPU engine (drive, recurrence, readout and mean h^2 in one pass) against the plain autograd loop."""
    _, *args = _random_problem(stsp, big)
    g = torch.Generator().manual_seed(3)
    T, B, N = 40, 8, args[0].shape[0]
    scale = 60.0 if big else 3.0
    # the drive b + s W_in spans the range of _random_problem's drive
    inputs = (scale * torch.rand(T, B, N, generator=g, dtype=torch.float64)).requires_grad_()
    w_in = (torch.eye(N, dtype=torch.float64) + 0.05 * torch.randn(N, N, generator=g, dtype=torch.float64)).requires_grad_()
    b = (-0.2 * scale + torch.randn(N, generator=g, dtype=torch.float64)).requires_grad_()
    w_out = torch.rand(N, 3, generator=g, dtype=torch.float64).requires_grad_()
    b_out = torch.rand(3, generator=g, dtype=torch.float64).requires_grad_()
    h, x, u = recurrence_autograd(b + inputs @ w_in, *args)
    ref = (h @ w_out + b_out, h, x, u, h.square().mean())
    new = STSPNetworkCPU.apply(inputs, w_in, b, *args[:4], w_out, b_out, args[4])
    compared = [0, 1, 4] + ([2, 3] if stsp else [])  # without STSP x, u are not outputs of the recurrence
    for i in compared:
        torch.testing.assert_close(new[i], ref[i], rtol=1e-12, atol=1e-12)
    if not stsp:
        assert torch.all(new[2] == 1) and torch.all(new[3] == 1)
    if big and stsp:
        assert bool((ref[2] == 0).any()), "the test should exercise the clip at x = 0"
    weights = [torch.randn(r.shape, generator=g, dtype=torch.float64) for r in ref[:4]]
    wrt = [inputs, w_in, b, args[0], args[1]] + ([args[2], args[3]] if stsp else []) + [w_out, b_out]

    def scalar(out):
        return sum((out[i] * weights[i]).sum() for i in compared if i < 4) + 3.0 * out[4]

    for a, r in zip(torch.autograd.grad(scalar(new), wrt), torch.autograd.grad(scalar(ref), wrt)):
        torch.testing.assert_close(a, r, rtol=1e-10, atol=1e-10 * float(r.abs().max()))


def _train_step_outputs(net, trial):
    """Loss, readout, rates and every gradient of one training step (numba engine, seeded noise)."""
    from wmlib.rnn.training import loss_and_accuracy

    net.zero_grad()
    loss, _, spike, _, out = loss_and_accuracy(net, trial, 0.02, torch.Generator().manual_seed(4), "cpu", "numba")
    loss.backward()
    return [loss, spike, out.logits, out.h, out.u] + [p.grad.clone() for p in net.parameters()]


@pytest.mark.skipif(torch.get_num_threads() < 2, reason="the drive is built in a second thread only with 2+ threads")
@pytest.mark.parametrize("stsp", [True, False])
def test_numba_pipelined_drive_gives_the_same_numbers(monkeypatch, stsp):
    """Building the drive in a helper thread, chunk by chunk, while the time loop runs changes no number: noise,
    loss and gradients are those of one whole-array build, bit for bit; the thread counts come back."""
    import numba

    from wmlib.rnn import _engine_numba, make_trials

    trial = make_trials("DMS", 64, 0)
    net = STSPRNN(RNNConfig(stsp=stsp), rng=0)
    monkeypatch.setattr(_engine_numba, "PIPELINE_MIN_NUMBERS", 2 ** 62)
    whole = _train_step_outputs(net, trial)
    monkeypatch.setattr(_engine_numba, "PIPELINE_MIN_NUMBERS", 1)
    monkeypatch.setattr(_engine_numba, "_CHUNK_NUMBERS", 3 * 64 * 100 + 5)  # 3 steps per chunk, and a short last chunk
    threads = (torch.get_num_threads(), numba.get_num_threads())
    submitted = []
    monkeypatch.setattr(_engine_numba._Drive, "_draw_all", lambda self, f=_engine_numba._Drive._draw_all: (submitted.append(1), f(self)))
    piped = _train_step_outputs(net, trial)
    assert submitted, "the pipelined path did not run"
    assert (torch.get_num_threads(), numba.get_num_threads()) == threads
    for a, b in zip(piped, whole):
        assert torch.equal(a, b)


def test_numba_pipeline_hands_on_errors(monkeypatch):
    """An error while drawing the noise in the helper thread reaches the caller, and the thread counts come back."""
    import numba

    from wmlib.rnn import _engine_numba

    monkeypatch.setattr(_engine_numba, "PIPELINE_MIN_NUMBERS", 1)
    monkeypatch.setattr(_engine_numba, "_CHUNK_NUMBERS", 16 * 100)
    threads = (torch.get_num_threads(), numba.get_num_threads())

    def fail(*args, **kwargs):
        raise RuntimeError("no numbers today")

    monkeypatch.setattr(_engine_numba.torch, "randn", fail)
    net = STSPRNN(RNNConfig(), rng=0)
    with pytest.raises(RuntimeError, match="no numbers today"):
        net(torch.rand(20, 16, 24), noise_generator=torch.Generator().manual_seed(0), engine="numba")
    assert (torch.get_num_threads(), numba.get_num_threads()) == threads


@pytest.mark.parametrize("n_steps, per_step, chunk_numbers", [(250, 102400, 1 << 17), (250, 6400, 1 << 17), (40, 1300, 5000),
                                                             (40, 3, 20), (7, 3, 1 << 17), (1, 5, 1), (33, 1, 1), (17, 1, 1)])
def test_noise_chunks_give_the_numbers_of_one_draw(monkeypatch, n_steps, per_step, chunk_numbers):
    """Chunks cover every step once, in order; all but the last hold a multiple of 16 numbers, the last at least
    16; and then drawing torch's normal numbers chunk by chunk gives those of one draw."""
    from wmlib.rnn import _engine_numba

    monkeypatch.setattr(_engine_numba, "_CHUNK_NUMBERS", chunk_numbers)
    chunks = _engine_numba._chunks(n_steps, per_step)
    assert chunks[0][0] == 0 and chunks[-1][1] == n_steps
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:])) and all(t0 < t1 for t0, t1 in chunks)
    assert all((t1 - t0) * per_step % 16 == 0 for t0, t1 in chunks[:-1])
    if n_steps * per_step >= 16:
        assert (chunks[-1][1] - chunks[-1][0]) * per_step >= 16
        if n_steps * per_step <= 10 ** 6:
            whole = torch.randn(n_steps * per_step, generator=torch.Generator().manual_seed(0))
            g = torch.Generator().manual_seed(0)
            parts = torch.cat([torch.randn((t1 - t0) * per_step, generator=g) for t0, t1 in chunks])
            assert torch.equal(parts, whole)


@pytest.mark.parametrize("stsp", [True, False])
def test_engines_agree_on_the_training_loss_and_its_gradient(stsp):
    """float32, a real network and task: every engine gives the same loss and gradients up to rounding."""
    from wmlib.rnn import make_trials
    from wmlib.rnn.training import loss_and_accuracy

    trial = make_trials("DMS", 8, 0)
    results = {}
    for engine in ("numba", "torch", "autograd"):
        net = STSPRNN(RNNConfig(stsp=stsp), rng=0)
        loss, *_ = loss_and_accuracy(net, trial, 0.02, torch.Generator().manual_seed(0), "cpu", engine)
        loss.backward()
        results[engine] = (loss.detach(), {k: p.grad for k, p in net.named_parameters()})
    ref_loss, ref_grads = results["autograd"]
    for engine in ("numba", "torch"):
        loss, grads = results[engine]
        torch.testing.assert_close(loss, ref_loss, rtol=1e-5, atol=0)
        for name, grad in grads.items():
            torch.testing.assert_close(grad, ref_grads[name], rtol=1e-3, atol=1e-4 * float(ref_grads[name].abs().max()),
                                       msg=f"{engine}: {name}")


def test_numba_engine_propagates_nan():
    """A diverging network must show NaN (the training loop stops on it), never a rate silently set to 0."""
    net = STSPRNN(RNNConfig(), rng=0)
    inputs = torch.rand(10, 2, 24)
    inputs[3, 0, 0] = float("nan")
    with pytest.raises(ValueError, match="'inputs' parameter of STSPRNN.forward must hold finite values"):
        net(inputs, noise=False, engine="numba")  # the network refuses NaN input; the engine itself must pass it on
    w, a = net.effective_weights(), net.config.alpha
    h, x, u = net.initial_state(2)
    step = StepConstants(net.U, net.alpha_x, net.alpha_u, 1 - a, net.config.dt / 1000, True)
    with torch.no_grad():
        logits = STSPNetworkCPU.apply(inputs, a * w["w_in"], a * net.b_rnn, a * w["w_rec"], h, x, u, w["w_out"],
                                      net.b_out, step)[0]
    assert torch.isnan(logits[3:, 0]).all() and not torch.isnan(logits[:, 1]).any()


def test_rerun_from_a_saved_state_continues_the_trajectory():
    net = STSPRNN(RNNConfig(), rng=0)
    inputs = torch.rand(60, 5, 24)
    with torch.no_grad():
        full = net(inputs, noise=False)
        t = 29
        tail = net(inputs[t + 1:], state=full.state(t), noise=False)
    torch.testing.assert_close(tail.h, full.h[t + 1:])
    torch.testing.assert_close(tail.efficacy, full.efficacy[t + 1:])


def test_noise_is_reproducible_and_controls_without_stsp():
    net = STSPRNN(RNNConfig(), rng=0)
    inputs = torch.rand(20, 4, 24)
    a = net(inputs, noise_generator=torch.Generator().manual_seed(5))
    b = net(inputs, noise_generator=torch.Generator().manual_seed(5))
    assert torch.equal(a.h, b.h)
    ctrl = STSPRNN(RNNConfig(stsp=False), rng=0)
    out = ctrl(inputs, noise=False)
    assert torch.all(out.efficacy == 1)
    assert torch.allclose(ctrl.w_rnn * 3, STSPRNN(RNNConfig(), rng=0).w_rnn)  # control weights scaled by 1/3


def test_bad_arguments():
    with pytest.raises(TypeError, match="'config' parameter of STSPRNN"):
        STSPRNN("big")
    with pytest.raises(ValueError, match="'n_hidden' parameter of RNNConfig"):
        RNNConfig(n_hidden=1)
    with pytest.raises(TypeError, match="'stsp' parameter of RNNConfig must be a bool"):
        RNNConfig(stsp=1)
    with pytest.raises(ValueError, match="'dt' parameter of RNNConfig"):
        RNNConfig(dt=150.0)
    with pytest.raises(ValueError, match="'U_fac' parameter of RNNConfig"):
        RNNConfig(U_fac=0.0)
    net = STSPRNN(RNNConfig(), rng=0)
    with pytest.raises(ValueError, match="'inputs' parameter of STSPRNN.forward must have shape"):
        net(torch.zeros(10, 2, 5), noise=False)
    with pytest.raises(ValueError, match="'noise_generator' parameter of STSPRNN.forward must be a torch.Generator"):
        net(torch.zeros(10, 2, 24))
    with pytest.raises(ValueError, match="'engine' parameter of STSPRNN.forward must be a str among"):
        net(torch.zeros(10, 2, 24), noise=False, engine="fast")
    with pytest.raises(ValueError, match="'inputs' parameter of STSPRNN.forward must be torch.float32"):
        net(torch.zeros(10, 2, 24, dtype=torch.float64), noise=False)
    with pytest.raises(ValueError, match="'engine' parameter is 'numba', which runs on CPU float32/float64"):
        STSPRNN(RNNConfig(), rng=0).half()(torch.zeros(10, 2, 24, dtype=torch.float16), noise=False, engine="numba")
