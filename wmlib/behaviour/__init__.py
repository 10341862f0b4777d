"""Behavioural paradigms of working memory and how their numbers are computed (chapter "Why working memory is hard").

Change detection with Cowan's K, and the N-back task with signal-detection measures, in :mod:`.paradigms`;
:mod:`.plotting` and :mod:`.widgets` draw the chapter's figures (they import matplotlib).
"""

from .paradigms import *  # noqa: F403  (the public names, listed once, in paradigms.__all__)
from .paradigms import __all__  # noqa: F401
