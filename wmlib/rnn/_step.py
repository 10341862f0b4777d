"""The constants of one step of the STSP network, handed to every engine as one object."""

from __future__ import annotations

from typing import NamedTuple

import torch

__all__ = ["StepConstants"]


class StepConstants(NamedTuple):
    """What the engines need besides the tensors they differentiate (see :mod:`wmlib.rnn.model` for the equations).

    ``U``, ``alpha_x``, ``alpha_u`` are the per-unit buffers of the network (shape (N,)); ``leak`` is
    :math:`1 - \\alpha`, ``dt_s`` the step in seconds.  ``noise_scale`` (the s.d. of the recurrent noise per step; 0:
    none) and ``generator`` are used only by the engines that draw the noise themselves (numba).
    """

    U: torch.Tensor
    alpha_x: torch.Tensor
    alpha_u: torch.Tensor
    leak: float
    dt_s: float
    stsp: bool
    noise_scale: float = 0.0
    generator: torch.Generator | None = None
