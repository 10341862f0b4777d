"""The Tsodyks–Markram dynamic synapse: short-term facilitation and depression (chapter "The dynamic synapse").

The equations, the two conventions for the resting utilisation and the references are in :mod:`.model`;
:mod:`.plotting` and :mod:`.widgets` draw the chapter's figures (they import matplotlib), and
:mod:`.reproductions` lists the published results the chapter reproduces.
"""

from .model import *  # noqa: F403  (the public names, listed once, in model.__all__)
from .model import __all__  # noqa: F401
