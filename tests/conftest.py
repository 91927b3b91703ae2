"""Shared test configuration: hypothesis profiles.

The default profile is modest so the suite stays fast on a 2-core CI machine; set
RUBRIC_HYPOTHESIS_PROFILE=thorough for many more examples.
"""

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("RUBRIC_HYPOTHESIS_PROFILE", "default"))

# The suite pins English errors: a RUBRIC_LANG of the shell running it must not change
# them (tests/test_cli_lang.py sets it where it tests it).
os.environ.pop("RUBRIC_LANG", None)
