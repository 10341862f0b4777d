r"""Parameters of the spiking network of the synaptic theory of working memory (Mongillo, Barak & Tsodyks 2008).

Current-based leaky integrate-and-fire neurons with delta synapses (voltages in mV, times in s):

.. math::

   \tau_m \frac{dV_i}{dt} = -V_i + \mu_{ext} + \sigma_{ext}\sqrt{\tau_m}\,\eta_i(t)
   + \tau_m \sum_j J_{ij}\, u_j x_j \sum_k \delta(t - t^j_k - d_{ij}),

a spike when :math:`V_i \ge \theta`, then :math:`V_i = V_r` for the refractory period; :math:`u_j x_j = 1` except on
excitatory-to-excitatory synapses, where :math:`u_j, x_j` are the Tsodyks–Markram variables of the presynaptic
neuron (convention "u relaxes to U", as in the paper's supplementary equations).  ``p`` selective populations of
``f * n_exc`` excitatory neurons each hold the items; within a population the E→E efficacy is potentiated
(``J_p``), elsewhere it is at baseline (``J_b``), except a fraction ``gamma0`` of the synapses from non-selective
neurons onto selective ones, which are potentiated too.

The defaults are those of the paper as implemented by public reproductions that cite its supplementary material
(Tiddia et al. 2022, NEST; a Julia implementation agrees where they overlap): 8000 excitatory and 2000 inhibitory
neurons, connection probability 0.2, five populations with coding level 0.1, U = 0.2, tau_f = 1.5 s, tau_d = 0.2 s.
The background drive ``mu_exc`` sets the regime (activity-silent memory near 23.1 mV, periodic population spikes
near 23.7 mV, asynchronous persistent activity near 24.0 mV in Tiddia et al.'s version with synaptic currents);
the values for this delta-synapse model are measured in the chapter rather than assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import Interval, ParamsMixin, check_scalar

__all__ = ["NetworkParams", "FULL_SIZE", "SCALED_SIZE", "REGIME_DRIVES"]

_POS = Interval(0.0, np.inf, "neither")
_NONNEG = Interval(0.0, np.inf, "left")
_PROB = Interval(0.0, 1.0, "right")
_COUNT = Interval(1, np.inf, "left", integer=True)
_VOLT = Interval(-np.inf, np.inf, "neither")

#: Neurons of the paper's network (8000 excitatory + 2000 inhibitory).
FULL_SIZE = 10_000

#: Neurons of the scaled-down network of the chapter's live figures and of the tests (``NetworkParams().scaled(4000)``:
#: c = 0.5, every neuron keeps the full network's inputs).
SCALED_SIZE = 4000

#: Background drives (``mu_exc``, mV) at which one loaded item is held in each regime, in the full network and in the
#: scaled one alike (measured with :func:`wmlib.network.phase_diagram`; the chapter shows the whole diagram):
#: silent below about 22.8 mV, periodic population spikes from about 23 mV, persistent activity from about 24.5 mV.
REGIME_DRIVES = {"silent": 22.4, "periodic": 23.5, "persistent": 24.7}


@dataclass(frozen=True)
class NetworkParams(ParamsMixin):
    """Parameters of the Mongillo–Barak–Tsodyks network (mV, s).  See the module docstring for the equations."""

    n_exc: int = 8000  #: excitatory neurons
    n_inh: int = 2000  #: inhibitory neurons
    c: float = 0.2  #: connection probability (every pathway)
    n_pop: int = 5  #: selective populations (items)
    f: float = 0.1  #: coding level: fraction of the excitatory neurons in each population
    overlap: float = 0.0  #: fraction of each population shared with the next one (0: disjoint, as in the paper)
    tau_exc: float = 0.015  #: membrane time constant of excitatory neurons
    tau_inh: float = 0.010  #: membrane time constant of inhibitory neurons
    theta: float = 20.0  #: spike threshold (rest at 0 mV)
    v_reset_exc: float = 16.0  #: reset potential, excitatory
    v_reset_inh: float = 13.0  #: reset potential, inhibitory
    t_ref: float = 0.002  #: refractory period
    J_IE: float = 0.135  #: efficacy E→I
    J_EI: float = 0.25  #: efficacy I→E
    J_II: float = 0.20  #: efficacy I→I
    J_b: float = 0.10  #: baseline E→E efficacy
    J_p: float = 0.45  #: potentiated E→E efficacy (within a population)
    gamma0: float = 0.10  #: fraction of potentiated synapses from non-selective onto selective neurons
    delay_min: float = 1e-4  #: shortest synaptic delay
    delay_max: float = 1e-3  #: longest synaptic delay (delays uniform in between)
    U: float = 0.2  #: baseline utilisation of E→E synapses
    tau_f: float = 1.5  #: facilitation time constant
    tau_d: float = 0.2  #: depression (recovery) time constant
    mu_exc: float = 23.10  #: mean external drive of excitatory neurons
    mu_inh: float = 21.0  #: mean external drive of inhibitory neurons
    sigma_exc: float = 1.0  #: standard deviation of the external drive, excitatory
    sigma_inh: float = 1.0  #: standard deviation of the external drive, inhibitory
    dt: float = 1e-4  #: time step

    _constraints = {
        "n_exc": _COUNT, "n_inh": _COUNT, "c": _PROB, "n_pop": _COUNT, "f": _PROB,
        "overlap": Interval(0.0, 1.0, "left"),
        "tau_exc": _POS, "tau_inh": _POS, "theta": _VOLT, "v_reset_exc": _VOLT, "v_reset_inh": _VOLT,
        "t_ref": _NONNEG, "J_IE": _NONNEG, "J_EI": _NONNEG, "J_II": _NONNEG, "J_b": _NONNEG, "J_p": _NONNEG,
        "gamma0": Interval(0.0, 1.0, "both"), "delay_min": _POS, "delay_max": _POS, "U": _PROB, "tau_f": _POS,
        "tau_d": _POS, "mu_exc": _VOLT, "mu_inh": _VOLT, "sigma_exc": _NONNEG, "sigma_inh": _NONNEG, "dt": _POS,
    }

    def validate(self):
        super().validate()
        name = type(self).__name__
        for field in ("v_reset_exc", "v_reset_inh"):
            if not getattr(self, field) < self.theta:
                raise ValueError(f"The {field!r} parameter of {name} must be a float in the range (-inf, "
                                 f"{self.theta:g}) (below the threshold, the 'theta' parameter). "
                                 f"Got {getattr(self, field)!r} instead.")
        if not self.delay_max >= self.delay_min:
            raise ValueError(f"The 'delay_max' parameter of {name} must be a float in the range "
                             f"[{self.delay_min:g}, inf) (at least the 'delay_min' parameter). Got {self.delay_max!r} instead.")
        if not self.dt <= self.delay_min:
            raise ValueError(f"The 'dt' parameter of {name} must be a float in the range (0, {self.delay_min:g}] "
                             f"(at most the shortest delay, the 'delay_min' parameter, so that a spike never "
                             f"arrives in the step it was emitted). Got {self.dt!r} instead.")
        fastest = min(self.tau_exc, self.tau_inh)
        if not self.dt <= fastest / 10:
            raise ValueError(f"The 'dt' parameter of {name} must be a float in the range (0, {fastest / 10:g}] "
                             f"(a tenth of the fastest membrane time constant, 'tau_exc' or 'tau_inh'). "
                             f"Got {self.dt!r} instead.")
        size = self.pop_size
        if size < 1:
            raise ValueError(f"The 'f' parameter of {name} must give populations of at least one neuron with "
                             f"the 'n_exc' parameter: f * n_exc = {self.f * self.n_exc:g}. Got {self.f!r} instead.")
        span = size + (self.n_pop - 1) * self.pop_stride
        if span > self.n_exc:
            raise ValueError(f"The 'n_pop' parameter of {name} must leave the populations inside the 'n_exc' = "
                             f"{self.n_exc} excitatory neurons: {self.n_pop} populations of 'f' * n_exc = {size} "
                             f"('overlap' {self.overlap:g}) need {span}. Got {self.n_pop!r} instead.")
        return self

    @property
    def n_neurons(self) -> int:
        """All neurons, excitatory first."""
        return self.n_exc + self.n_inh

    @property
    def pop_size(self) -> int:
        """Excitatory neurons per selective population, ``round(f * n_exc)``."""
        return int(round(self.f * self.n_exc))

    @property
    def pop_stride(self) -> int:
        """Index offset between the first neurons of successive populations (``pop_size`` without overlap)."""
        return max(1, int(round(self.pop_size * (1.0 - self.overlap))))

    def populations(self) -> np.ndarray:
        """(n_pop, pop_size) indices of the excitatory neurons of every selective population.

        Population k starts at ``k * pop_stride``: consecutive blocks that share ``pop_size - pop_stride`` neurons
        with the next block when ``overlap > 0``.  The excitatory neurons after the last block are non-selective.
        """
        return np.arange(self.n_pop)[:, None] * self.pop_stride + np.arange(self.pop_size)[None, :]

    def own_neurons(self) -> list:
        """For each selective population, its neurons that belong to no other population (all of them when
        ``overlap == 0``): the neurons whose activity is that population's alone."""
        pops = self.populations()
        shared = np.bincount(pops.ravel(), minlength=self.n_exc) > 1
        return [pop[~shared[pop]] for pop in pops]


    def scaled(self, n_neurons: int, c: float | None = None) -> NetworkParams:
        """The same network with ``n_neurons`` neurons (4:1 excitatory to inhibitory), for fast runs.

        By default every neuron keeps its inputs exactly: the connection probability grows as the network shrinks
        (``c * n_neurons`` is kept, so ``NetworkParams().scaled(4000)`` has c = 0.5), and the efficacies are
        unchanged.  Each neuron then receives the same number of synapses of the same strength from each group as in
        the full network, so its mean input and the variance of that input are the same at the same rates; what
        differs is that populations are smaller (their rates fluctuate more) and neurons share more of their inputs.
        The regimes of the full network appear at nearly the same background drive (measured in the chapter).

        Parameters
        ----------
        n_neurons : int
            Neurons of the smaller network.
        c : float, optional
            Connection probability of the smaller network instead (must be at most 1; the default would exceed 1
            below ``c * self.n_neurons`` neurons).  The efficacies are then multiplied by
            ``self.c * self.n_neurons / (c * n_neurons)``, which keeps the mean input but not its variance.
        """
        n = check_scalar("NetworkParams.scaled", "n_neurons", n_neurons, Interval(50, 10**7, "both", integer=True))
        keep = self.c * self.n_neurons / n
        if c is None:
            if keep > 1.0:
                raise ValueError(f"The 'n_neurons' parameter of NetworkParams.scaled must be an int in the range "
                                 f"[{int(np.ceil(self.c * self.n_neurons))}, 10000000] to keep every neuron's "
                                 f"{self.c * self.n_neurons:g} inputs (connection probability at most 1), or give "
                                 f"'c' as well. Got {n_neurons!r} instead.")
            c = keep
        c = check_scalar("NetworkParams.scaled", "c", c, _PROB)
        k = self.c * self.n_neurons / (c * n)
        n_exc = int(round(0.8 * n))
        return self.replace(n_exc=n_exc, n_inh=n - n_exc, c=c, J_IE=self.J_IE * k, J_EI=self.J_EI * k,
                            J_II=self.J_II * k, J_b=self.J_b * k, J_p=self.J_p * k)
