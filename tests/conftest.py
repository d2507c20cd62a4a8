from __future__ import annotations

from hypothesis import HealthCheck, settings

# The first decode of fmt 0/1 builds its grammar; a deadline would flag that one-off cost.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("default")
