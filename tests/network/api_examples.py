"""One valid call of every public callable of wmlib.network (bad calls are derived from these)."""

from badinput import call

from wmlib import network as net

_small = net.NetworkParams(n_exc=80, n_inh=20)

EXAMPLES = {
    "NetworkParams": call(n_exc=400, n_inh=100, mu_exc=23.7),
    "connect": call(_small, rng=0),
}
