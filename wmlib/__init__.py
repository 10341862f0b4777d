"""wmlib: the models, tasks and analyses of *Working Memory: an interactive textbook*.

Importing the package loads nothing heavy (no torch, no matplotlib) and has no
side effects; import the submodule you need:

* :mod:`wmlib.synapse`: the Tsodyks–Markram dynamic synapse (chapter 1);
* :mod:`wmlib.behaviour`: behavioural paradigms and capacity measures (chapter 0);
* :mod:`wmlib.analysis`: small trace analyses shared by chapters;
* :mod:`wmlib.plotting`, :mod:`wmlib.widgets`: figures and interactive widgets;
* :mod:`wmlib.reproductions`: the registry of published results the book reproduces;
* :mod:`wmlib.check`: checkers for the chapters' coding exercises (immediate feedback on a reader's code);
* :mod:`wmlib.quiz`: the check-your-understanding questions at the end of the chapters' sections.
"""

__version__ = "0.1.0"
