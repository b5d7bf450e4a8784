"""The demo city: a seeded generator of Wuhan data and an idempotent loader.

``generator`` is pure: it yields the request schemas of the service (stations, employers,
events, postings, jobseekers), each with a stable key and references to other items by key.
``loader`` resolves those keys to database ids and writes everything through the service layer.
"""

from service.demo.generator import (
    BoothLink,
    DemoCity,
    Kind,
    Planned,
    Ref,
    Registration,
)

__all__ = ["BoothLink", "DemoCity", "Kind", "Planned", "Ref", "Registration"]
