"""Published results on working-memory capacity (Mi, Katkov & Tsodyks 2017) that the capacity chapter reproduces
(rows of :mod:`wmlib.reproductions`, found by discovery)."""

from __future__ import annotations

import numpy as np

from ..reproductions import Outcome, register


@register(
    key="mi-five-keep-four",
    chapter="capacity.ipynb",
    source="Mi2017",
    claim="Five items loaded one after another into the cluster model: four are kept, as alternating population "
    "spikes (public BrainPy parameters, background input $I_b$ = 3.5; at $I_b$ = 8 all five are kept).",
    paper="4 of 5 kept",
    tolerance="exactly 4 at $I_b$ = 3.5",
)
def _five_keep_four():
    from .. import capacity as cap

    kept = cap.capacity(cap.ClusterParams(I_b=np.array([3.5, 8.0])), n_items=5, duration=3.0)
    return Outcome(float(kept[0]), f"{kept[0]} of 5 at $I_b$ = 3.5 ({kept[1]} at $I_b$ = 8)", bool(kept[0] == 4))


@register(
    key="mi-critical-background",
    chapter="capacity.ipynb",
    source="Mi2017",
    claim="Below a critical background input no item is held; the threshold found by simulation matches the "
    "escape condition (the exact minimum of the escape function $F$) with $J_{max}$ and $I_{inh}$ read off "
    "the simulation.",
    paper="capacity 0 below $I_{crit}$; $I_{crit} = I_{inh} - \\alpha\\ln(J_{max}-1)$ (approximate form)",
    tolerance="exact form within 0.1 of the simulated threshold",
)
def _critical_background():
    from .. import capacity as cap

    simulated = cap.critical_background()
    state = cap.reignition_state(cap.ClusterParams(I_b=simulated + 0.02), duration=6.0)
    exact = float(cap.critical_input(state.J_max, 1.5, state.I_inh, exact=True))
    approx = float(cap.critical_input(state.J_max, 1.5, state.I_inh))
    return Outcome(simulated, f"simulated {simulated:.2f}, exact form {exact:.2f} (approximate form {approx:.2f})",
                   abs(exact - simulated) < 0.1)


@register(
    key="mi-tau-ratio",
    chapter="capacity.ipynb",
    source="Mi2017",
    claim="Capacity grows with $\\tau_d/\\tau$ as $N_C \\approx T_{max}/t_s$ predicts (120 networks, $I_b$ = 8, "
    "capacity = most items held after loads of 6, 8, 12 and 16; $t_s \\propto \\tau$ with one constant fitted at "
    "the default network).",
    paper="roughly linear in $\\tau_d/\\tau$",
    tolerance="within 1 item at >= 90 % of the points whose predicted capacity does not exceed that of the default "
    "network, where the constant was fitted",
)
def _tau_ratio():
    from .. import capacity as cap

    tau_d, tau = np.meshgrid(np.linspace(0.15, 0.5, 10), np.linspace(0.006, 0.016, 12), indexing="ij")
    kw = dict(duration=4.0, window=1.5)
    held = cap.max_capacity(cap.ClusterParams(tau_d=tau_d, tau=tau, tau_I=tau), loads=(6, 8, 12, 16), **kw)
    ref = cap.summarize(cap.ClusterParams(), cap.LoadingProtocol(n_items=10), **kw)
    c = float(ref.spacing) / 0.008  # t_s = c tau at I_b = 8 (eq. 7 at fixed I_b: only the product matters)
    theory = cap.t_max(1.5, tau_d, 0.3) / (c * tau)
    valid = np.floor(theory) <= ref.n_active
    share = float((np.abs(held - np.floor(theory))[valid] <= 1).mean())
    return Outcome(share, f"{100 * share:.0f} % within 1 item ({int(valid.sum())} points)", share >= 0.9)
