"""The benchmark inventory generator, for tests that need a realistic organisation.

``benchmarks/`` is a folder of scripts, not a package, so the generator is
loaded from its file (once per test session).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


@functools.cache
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
