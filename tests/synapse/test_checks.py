"""The synapse chapter's checkers accept a correct answer and explain a wrong one."""

import numpy as np
import pytest

from wmlib import check, synapse


def good_spike(u_minus, x_minus, U):
    u_plus = u_minus + U * (1 - u_minus)
    return u_plus, x_minus * (1 - u_plus), u_plus * x_minus


def good_steady(rate, p):
    e_f, e_d = np.exp(-1 / (rate * p.tau_f)), np.exp(-1 / (rate * p.tau_d))
    u = p.U / (1 - (1 - p.U) * e_f)
    return u * (1 - e_d) / (1 - (1 - u) * e_d)


def good_run(spike_times, p):
    return synapse.simulate_spikes(spike_times, p).release


def _half_time():
    d = np.linspace(1.0, 4.0, 3001)
    probe = synapse.probe_after_burst(synapse.MBT08, d)
    extra = probe.release - probe.rest_release
    return float(d[np.argmax(extra <= extra[0] / 2)] - 1.0)


@pytest.mark.parametrize("name, answer", [("tm_spike", good_spike), ("steady_state", good_steady),
                                          ("run_synapse", good_run), ("half_time", _half_time())])
def test_a_correct_answer_passes(name, answer, capsys):
    getattr(check, name)(answer)
    assert capsys.readouterr().out.startswith("\N{CHECK MARK}")


@pytest.mark.parametrize("name, answer, message", [
    ("tm_spike", lambda u, x, U: (u, x * (1 - u), u * x), r"tm_spike\(u_minus=.*returned u_plus = .*; expected"),
    ("tm_spike", lambda u, x, U: (u, x), "three numbers"),
    # u relaxing to U instead of 0: right formula, wrong convention
    ("steady_state", lambda r, p: synapse.steady_state_regular(r, p.replace(u_rest="U")).release,
     r"steady_state\(rate=.*params=.*returned the release per spike"),
    ("steady_state", lambda r, p: 0.5, "shape"),
    ("run_synapse", lambda s, p: synapse.simulate_spikes(s, p.replace(u_rest="zero")).release, "returned the releases"),
    ("half_time", 1.5 * np.log(2), "too short"),
    ("half_time", 1.2, "too long"),
])
def test_a_wrong_answer_is_explained(name, answer, message):
    with pytest.raises(check.Mismatch, match=message):
        getattr(check, name)(answer)


def test_an_unfinished_stub_raises_not_implemented():
    def stub(u_minus, x_minus, U):
        raise NotImplementedError("exercise syn-ex-code")

    with pytest.raises(NotImplementedError):
        check.tm_spike(stub)


def test_an_error_in_the_answer_names_the_input():
    with pytest.raises(check.Mismatch, match=r"tm_spike\(u_minus=.*raised ZeroDivisionError"):
        check.tm_spike(lambda u, x, U: 1 / 0)


def test_bad_arguments_to_checkers():
    with pytest.raises(TypeError, match="takes your function"):
        check.tm_spike(0.3)
    with pytest.raises(TypeError, match="number of seconds"):
        check.half_time("one second")
    with pytest.raises(AttributeError, match="no checker 'nonexistent'"):
        check.nonexistent  # noqa: B018


def test_checkers_are_listed_with_their_exercise():
    registry = check.checkers()
    assert registry["tm_spike"].exercise == "syn-ex-code" and registry["tm_spike"].mechanism == "synapse"
    assert {"tm_spike", "steady_state"} <= set(dir(check))
