"""Shared fixtures for ingest tests: the generated bad-files corpus and a small framework."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO_ROOT = Path(__file__).parents[2]
CORPUS_SCRIPT = REPO_ROOT / "tests" / "corpus" / "make_corpus.py"
if str(REPO_ROOT) not in sys.path:  # `analytics` is not installed; tests run from the repo root
    sys.path.insert(0, str(REPO_ROOT))


def load_corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus_module = load_corpus_module()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return corpus_module.make_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def known_indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["NI 1", "NI 4", "NI 20", "LOC 7"],
            "title": [
                "People from different backgrounds get on",
                "People who feel they can influence decisions",
                "Assault with injury crime rate",
                "Affordable homes delivered",
            ],
            "unit": ["%", "%", "rate per 1,000", "number"],
            "measure_type": ["snapshot", "snapshot", "snapshot", "cumulative"],
            "polarity": ["higher", "higher", "lower", "higher"],
        }
    )


@pytest.fixture(scope="session")
def previous_values() -> pd.DataFrame:
    rows = [*corpus_module.PREVIOUS_STABLE, ("LOC 7", "2008/09 Q1", 30.0)]
    return pd.DataFrame(rows, columns=["indicator_code", "period", "actual_value"])
