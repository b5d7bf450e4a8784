"""jieba, imported quietly: it imports the deprecated ``pkg_resources`` (a UserWarning on every
start) and logs its dictionary loading at DEBUG through a handler of its own."""

from __future__ import annotations

import logging
import warnings
from functools import cache
from types import ModuleType


@cache
def jieba() -> ModuleType:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources.*", category=UserWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        import jieba as module

    module.setLogLevel(logging.WARNING)
    return module
