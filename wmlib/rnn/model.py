r"""The recurrent network with short-term synaptic plasticity of Masse et al. (2019).

100 rate units (80 excitatory, 20 inhibitory) with time step :math:`dt = 10` ms
and time constant :math:`\tau = 100` ms (:math:`\alpha = dt/\tau = 0.1`).  Each
presynaptic unit :math:`j` carries Tsodyks–Markram variables :math:`x_j, u_j`
(see :mod:`wmlib.synapse`, rate form); even units are facilitating
(:math:`\tau_u` 1500 ms, :math:`\tau_x` 200 ms, :math:`U` 0.15), odd units
depressing (:math:`\tau_u` 200 ms, :math:`\tau_x` 1500 ms, :math:`U` 0.45).  One
step, with rates :math:`h` in Hz and :math:`\Delta = dt` in seconds:

.. math::

    x_t &= \mathrm{clip}_{[0,1]}\big(x_{t-1} + \alpha_x(1-x_{t-1}) - \Delta\,u_{t-1}x_{t-1}h_{t-1}\big)\\
    u_t &= \mathrm{clip}_{[0,1]}\big(u_{t-1} + \alpha_u(U-u_{t-1}) + \Delta\,U(1-u_{t-1})h_{t-1}\big)\\
    h_t &= \mathrm{ReLU}\Big((1-\alpha)h_{t-1} + \alpha\big(s_t W_{in}^+ + (u_t x_t h_{t-1}) W_{rec} + b\big)
           + \sqrt{2\alpha}\,\sigma_{rec}\,\xi_t\Big)\\
    y_t &= h_t W_{out}^+ + b_{out}

with :math:`\alpha_x = dt/\tau_x`, :math:`\alpha_u = dt/\tau_u`, :math:`\sigma_{rec} = 0.5`,
:math:`\xi_t \sim \mathcal N(0, 1)`, and the constraints

* :math:`W_{in}^+ = \mathrm{ReLU}(W_{in})`, :math:`W_{out}^+ = \mathrm{ReLU}(W_{out})` with the
  rows of inhibitory units zeroed (excitatory-only readout);
* :math:`W_{rec} = \mathrm{diag}(\pm 1)\,(\mathrm{ReLU}(W) \odot M)`: the sign is set by the
  *presynaptic* unit (Dale's law), :math:`M` removes self-connections.

Both STSP updates use the previous :math:`u, x, h`, and the recurrent drive uses
the new :math:`u, x` with the previous :math:`h`, as in the original code.
Without STSP (control networks) :math:`u x \equiv 1` and the initial recurrent
weights are divided by 3, as in the original code.

Initial weights are Gamma distributed (revision-era code): :math:`W_{in}` Gamma(0.2, 1),
:math:`W` Gamma(0.1, 1) with rows and columns of inhibitory units Gamma(0.2, 1)
("balanced E/I"), :math:`W_{out}` Gamma(0.1, 1); biases 0; the initial state
:math:`h_{-1}` is trainable, initialised to 0.1.

References
----------
Masse, N. Y., Yang, G. R., Song, H. F., Wang, X.-J. & Freedman, D. J. (2019).
Nature Neuroscience 22, 1159–1167.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from .._backend import fit_threads
from .._validation import Boolean, Interval, Options, ParamsMixin, check_random_state, validate_params
from . import _engine_numba
from ._engine_torch import STSPRecurrence, recurrence_autograd
from ._step import StepConstants

__all__ = ["RNNConfig", "STSPRNN", "RNNOutput", "RNNState", "ENGINES", "resolve_engine"]

#: How the time loop is computed (all give the same values and gradients up to float rounding):
#: "numba" (CPU only: one compiled pass per step for the recurrence, readout and spike cost, see
#: :mod:`wmlib.rnn._engine_numba`), "torch" (tensor operations with a hand-written backward pass, any device,
#: :mod:`wmlib.rnn._engine_torch`), "autograd" (the plain loop differentiated by autograd: the reference) and
#: "auto" (numba on the CPU, torch elsewhere).
ENGINES = ("auto", "numba", "torch", "autograd")


def resolve_engine(engine: str, tensor: torch.Tensor) -> str:
    """The engine that runs for ``engine`` on ``tensor``'s device ("auto": numba on CPU, torch elsewhere).

    The device itself follows the convention of :mod:`wmlib._backend` (the tensors are already on it); the engine
    decides how the time loop is computed there, and so which rounding the results carry.
    """
    validate_params("STSPRNN.forward", {"engine": engine}, {"engine": Options(ENGINES)})
    if engine == "auto":
        return "numba" if _engine_numba.supports(tensor) else "torch"
    if engine == "numba" and not _engine_numba.supports(tensor):
        raise ValueError(f"The 'engine' parameter is 'numba', which runs on CPU float32/float64 tensors only; "
                         f"got a {tensor.dtype} tensor on {tensor.device}. Use 'auto' or 'torch'.")
    return engine

_POS = Interval(0.0, np.inf, "neither")


@dataclass(frozen=True)
class RNNConfig(ParamsMixin):
    """Architecture and constants of the network (defaults: Masse et al. 2019)."""

    n_input: int = 24
    n_hidden: int = 100
    n_output: int = 3
    exc_fraction: float = 0.8  # first 80 % of units excitatory
    dt: float = 10.0  # ms
    tau: float = 100.0  # ms, membrane time constant
    noise_rnn_sd: float = 0.5  # sigma_rec (per-step s.d. is sqrt(2 alpha) * sigma_rec)
    stsp: bool = True
    tau_fast: float = 200.0  # ms
    tau_slow: float = 1500.0  # ms
    U_fac: float = 0.15
    U_dep: float = 0.45

    _constraints = {
        "n_input": Interval(1, np.inf, "left", integer=True),
        "n_hidden": Interval(2, np.inf, "left", integer=True),
        "n_output": Interval(2, np.inf, "left", integer=True),
        "exc_fraction": Interval(0.0, 1.0, "neither"),
        "dt": _POS,
        "tau": _POS,
        "noise_rnn_sd": Interval(0.0, np.inf, "left"),
        "stsp": Boolean(),
        "tau_fast": _POS,
        "tau_slow": _POS,
        "U_fac": Interval(0.0, 1.0, "right"),
        "U_dep": Interval(0.0, 1.0, "right"),
    }

    def validate(self):
        super().validate()
        if not self.dt < min(self.tau, self.tau_fast, self.tau_slow):
            raise ValueError(f"The 'dt' parameter of RNNConfig must be a float in the range (0, "
                             f"{min(self.tau, self.tau_fast, self.tau_slow):g}) (below every time constant). Got {self.dt!r} instead.")
        return self

    @property
    def n_exc(self) -> int:
        return int(round(self.exc_fraction * self.n_hidden))

    @property
    def alpha(self) -> float:
        return self.dt / self.tau

    def to_dict(self) -> dict:
        return asdict(self)


class RNNState(NamedTuple):
    """State of the network at one time step (tensors of shape (batch, n_hidden))."""

    h: torch.Tensor
    x: torch.Tensor
    u: torch.Tensor


class RNNOutput(NamedTuple):
    """Output of :meth:`STSPRNN.forward`; all time-major, shape (n_steps, batch, ...)."""

    logits: torch.Tensor  #: (T, B, n_output)
    h: torch.Tensor  #: (T, B, n_hidden) activity
    x: torch.Tensor  #: (T, B, n_hidden) available resources of each presynaptic unit
    u: torch.Tensor  #: (T, B, n_hidden) utilisation
    h_sq_mean: torch.Tensor | None = None  #: mean of h^2 over all entries, when the engine computed it in passing

    def mean_square_rate(self) -> torch.Tensor:
        """mean(h^2) over steps, trials and units (the spike cost's term), differentiable."""
        return self.h_sq_mean if self.h_sq_mean is not None else self.h.square().mean()

    @property
    def efficacy(self) -> torch.Tensor:
        """Synaptic efficacy u * x (T, B, n_hidden)."""
        return self.u * self.x

    def state(self, t: int) -> RNNState:
        """The saved state after step ``t``, to re-run the network from there."""
        return RNNState(self.h[t], self.x[t], self.u[t])


class STSPRNN(nn.Module):
    """Excitatory-inhibitory rate RNN with per-neuron short-term synaptic plasticity.

    Parameters
    ----------
    config : RNNConfig
    rng : int or numpy.random.Generator
        Seed of the initial weights (drawn with NumPy, so identical on every device).

    Examples
    --------
    >>> net = STSPRNN(RNNConfig(), rng=0)
    >>> out = net(torch.zeros(250, 8, 24), noise_generator=torch.Generator().manual_seed(0))
    >>> tuple(out.h.shape)
    (250, 8, 100)
    """

    def __init__(self, config: RNNConfig = RNNConfig(), rng=0):
        super().__init__()
        if not isinstance(config, RNNConfig):
            raise TypeError(f"The 'config' parameter of STSPRNN must be an RNNConfig. Got {type(config).__name__} instead.")
        self.config = config
        rng = check_random_state(rng)
        n, n_in, n_out, n_exc = config.n_hidden, config.n_input, config.n_output, config.n_exc
        inh = np.arange(n) >= n_exc
        w_in = rng.gamma(0.2, 1.0, size=(n_in, n))
        w_rnn = rng.gamma(0.1, 1.0, size=(n, n))
        balanced = rng.gamma(0.2, 1.0, size=(n, n))
        w_rnn = np.where(inh[:, None] | inh[None, :], balanced, w_rnn)
        np.fill_diagonal(w_rnn, 0.0)
        if not config.stsp:
            w_rnn = w_rnn / 3.0
        w_out = rng.gamma(0.1, 1.0, size=(n, n_out))
        w_out[inh] = 0.0
        f32 = lambda a: torch.tensor(a, dtype=torch.float32)  # noqa: E731
        self.w_in = nn.Parameter(f32(w_in))
        self.w_rnn = nn.Parameter(f32(w_rnn))
        self.b_rnn = nn.Parameter(torch.zeros(n))
        self.w_out = nn.Parameter(f32(w_out))
        self.b_out = nn.Parameter(torch.zeros(n_out))
        self.h0 = nn.Parameter(torch.full((n,), 0.1))
        # constants (buffers travel with .to(device) and state_dict())
        self.register_buffer("ei_sign", f32(np.where(inh, -1.0, 1.0))[:, None])
        self.register_buffer("w_rnn_mask", f32(1.0 - np.eye(n)))
        self.register_buffer("w_out_mask", f32(np.repeat((~inh)[:, None], n_out, axis=1).astype(float)))
        fac = np.arange(n) % 2 == 0
        self.register_buffer("U", f32(np.where(fac, config.U_fac, config.U_dep)))
        self.register_buffer("alpha_u", f32(config.dt / np.where(fac, config.tau_slow, config.tau_fast)))
        self.register_buffer("alpha_x", f32(config.dt / np.where(fac, config.tau_fast, config.tau_slow)))

    def load_arrays(self, arrays: dict, source: str) -> STSPRNN:
        """Copy saved parameters (name -> array) into the network, after checking them; returns self.

        Every parameter must be present with its exact shape and finite values; otherwise a ``ValueError`` names
        ``source`` (e.g. the file) and the offending parameter.  Nothing is copied unless everything is valid.
        """
        checked = {}
        for name, p in self.named_parameters():
            if name not in arrays:
                raise ValueError(f"{source} has no parameter {name!r}: it is not a network of this wmlib.")
            v = np.asarray(arrays[name])
            if v.shape != tuple(p.shape):
                raise ValueError(f"{source} has parameter {name!r} of shape {v.shape}; this network needs "
                                 f"{tuple(p.shape)}.")
            if v.dtype.kind != "f" or not np.all(np.isfinite(v)):
                raise ValueError(f"{source} has parameter {name!r} with non-finite or non-float values.")
            checked[name] = v
        extra = sorted(set(arrays) - set(checked))
        if extra:
            raise ValueError(f"{source} has parameters this network does not have: {extra}.")
        with torch.no_grad():
            for name, p in self.named_parameters():
                p.copy_(torch.from_numpy(checked[name]))
        return self

    # --- effective (constrained) weights -------------------------------------------------------
    def effective_weights(self) -> dict:
        """The weights the dynamics use: rectified, masked and signed (Dale's law)."""
        return {
            "w_in": torch.relu(self.w_in),
            "w_rec": self.ei_sign * (torch.relu(self.w_rnn) * self.w_rnn_mask),
            "w_out": torch.relu(self.w_out) * self.w_out_mask,
        }

    def gradient_masks(self) -> dict:
        """Masks multiplied into the gradients before clipping (as in the original code)."""
        return {"w_rnn": self.w_rnn_mask, "w_out": self.w_out_mask}

    def initial_state(self, batch_size: int) -> RNNState:
        """Trainable h0 and resting synapses (x = 1, u = U) for every trial."""
        n = self.config.n_hidden
        h = self.h0.expand(batch_size, n)
        x = torch.ones(batch_size, n, device=self.h0.device)
        u = self.U.expand(batch_size, n)
        return RNNState(h, x, u)

    def _check_state(self, state, batch: int) -> RNNState:
        """``state`` as an :class:`RNNState` of three (batch, n_hidden) tensors of the network's dtype and device,
        with finite rates and synaptic variables in [0, 1]; otherwise a ``ValueError`` naming what is wrong."""
        n = self.config.n_hidden
        if not isinstance(state, tuple) or len(state) != 3:
            raise TypeError(f"The 'state' parameter of STSPRNN.forward must be an RNNState (h, x, u). "
                            f"Got {type(state).__name__} instead.")
        for name, v in zip(("h", "x", "u"), state):
            if not isinstance(v, torch.Tensor):
                raise TypeError(f"The 'state' parameter of STSPRNN.forward must hold tensors; its {name!r} is a "
                                f"{type(v).__name__}.")
            if tuple(v.shape) != (batch, n):
                raise ValueError(f"The 'state' parameter of STSPRNN.forward must hold tensors of shape ({batch}, {n}) "
                                 f"(batch, n_hidden); its {name!r} has shape {tuple(v.shape)}.")
            if v.dtype != self.w_in.dtype or v.device != self.w_in.device:
                raise ValueError(f"The 'state' parameter of STSPRNN.forward must be {self.w_in.dtype} on "
                                 f"{self.w_in.device}; its {name!r} is {v.dtype} on {v.device}.")
            if not bool(torch.isfinite(v).all()):
                raise ValueError(f"The 'state' parameter of STSPRNN.forward must be finite; its {name!r} is not.")
        if not (bool((state[1] >= 0).all() and (state[1] <= 1).all()) and bool((state[2] >= 0).all()
                                                                              and (state[2] <= 1).all())):
            raise ValueError("The 'state' parameter of STSPRNN.forward must have x and u in the range [0, 1].")
        return RNNState(*state)

    # --- dynamics -------------------------------------------------------------------------------
    def forward(self, inputs: torch.Tensor, state: RNNState | None = None, noise_generator: torch.Generator | None = None,
                noise: bool = True, engine: str = "auto") -> RNNOutput:
        """Run the network over ``inputs`` (T, B, n_input).

        Parameters
        ----------
        inputs : tensor of shape (T, B, n_input)
            Non-negative inputs (see :func:`wmlib.rnn.tasks.make_trials`).
        state : RNNState, optional
            State *before* the first step (default: :meth:`initial_state`).  Pass
            ``out.state(t)`` of an earlier run to continue from step ``t + 1``.
        noise_generator : torch.Generator, optional
            Generator of the recurrent noise (on the inputs' device); required when ``noise``.
        noise : bool, default=True
            Add recurrent noise.
        engine : {"auto", "numba", "torch", "autograd"}, default="auto"
            How the time loop is computed (see :data:`ENGINES`): the same values and gradients up to
            float rounding; "auto" picks the fastest available on the inputs' device.
        """
        cfg = self.config
        if not isinstance(inputs, torch.Tensor):
            raise TypeError(f"The 'inputs' parameter of STSPRNN.forward must be a torch.Tensor of shape (n_steps, "
                            f"batch, {cfg.n_input}). Got {type(inputs).__name__} instead.")
        if inputs.ndim != 3 or inputs.shape[-1] != cfg.n_input or inputs.shape[0] == 0 or inputs.shape[1] == 0:
            raise ValueError(f"The 'inputs' parameter of STSPRNN.forward must have shape (n_steps, batch, "
                             f"{cfg.n_input}) with n_steps, batch >= 1. Got {tuple(inputs.shape)} instead.")
        if inputs.dtype != self.w_in.dtype or inputs.device != self.w_in.device:
            raise ValueError(f"The 'inputs' parameter of STSPRNN.forward must be {self.w_in.dtype} on "
                             f"{self.w_in.device}, like the network. Got {inputs.dtype} on {inputs.device} instead.")
        if not bool(torch.isfinite(inputs).all()):
            raise ValueError("The 'inputs' parameter of STSPRNN.forward must hold finite values (no NaN or inf).")
        if not isinstance(noise, (bool, np.bool_)):
            raise TypeError(f"The 'noise' parameter of STSPRNN.forward must be a bool. Got {noise!r} instead.")
        if noise and not isinstance(noise_generator, torch.Generator):
            raise ValueError("The 'noise_generator' parameter of STSPRNN.forward must be a torch.Generator when "
                             f"noise=True (results must be reproducible). Got {noise_generator!r} instead.")
        engine = resolve_engine(engine, inputs)
        if inputs.device.type == "cpu":
            fit_threads()
        T, B, _ = inputs.shape
        if state is not None:
            state = self._check_state(state, B)
        w = self.effective_weights()
        a = cfg.alpha
        noisy = noise and cfg.noise_rnn_sd > 0
        noise_scale = math.sqrt(2 * a) * cfg.noise_rnn_sd  # s.d. of the recurrent noise per step
        w_rec_a = a * w["w_rec"]
        h, x, u = state if state is not None else self.initial_state(B)
        step = StepConstants(self.U, self.alpha_x, self.alpha_u, 1.0 - a, cfg.dt / 1000.0, cfg.stsp)
        if engine == "numba":  # builds drive_t = alpha (s_t W_in+ + b) + noise itself, while its time loop runs
            step = step._replace(noise_scale=noise_scale if noisy else 0.0, generator=noise_generator if noisy else None)
            logits, h_all, x_all, u_all, sq = _engine_numba.STSPNetworkCPU.apply(
                inputs, a * w["w_in"], a * self.b_rnn, w_rec_a, h, x, u, w["w_out"], self.b_out, step)
            return RNNOutput(logits, h_all, x_all, u_all, sq)
        # everything that does not depend on the state is computed for all steps at once:
        # drive_t = alpha (s_t W_in+ + b) + sqrt(2 alpha) sigma xi_t, as one matrix product over all T * B rows
        # (in the order of operations the shipped networks were trained with, bit for bit)
        drive = a * self.b_rnn.expand(T * B, cfg.n_hidden)
        if noisy:
            xi = torch.randn((T * B, cfg.n_hidden), generator=noise_generator, device=inputs.device, dtype=inputs.dtype)
            drive.add_(xi.mul_(noise_scale))
            del xi
        drive = drive.addmm_(inputs.reshape(T * B, cfg.n_input), a * w["w_in"]).view(T, B, cfg.n_hidden)
        args = (drive, w_rec_a, h, x, u, step)
        if engine == "torch":
            h_all, x_all, u_all = STSPRecurrence.apply(*args)
        else:
            h_all, x_all, u_all = recurrence_autograd(*args)
            if not cfg.stsp:
                x_all = u_all = torch.ones_like(h_all)
        logits = h_all @ w["w_out"] + self.b_out
        return RNNOutput(logits, h_all, x_all, u_all)
