"""The 15-minute employment service circle for planners: who is inside it, who is not, and
where new stations would help most. Plain NumPy over points; no web or SQL."""

from matching.circle.coverage import AreaCoverage, CircleSpec, Coverage, measure
from matching.circle.points import Communities, Stations
from matching.circle.reach import Reach, minutes_to_nearest, pair_minutes, reach
from matching.circle.suggest import Candidates, SuggestedSite, at_communities, on_grid, suggest

__all__ = [
    "AreaCoverage",
    "Candidates",
    "CircleSpec",
    "Communities",
    "Coverage",
    "Reach",
    "Stations",
    "SuggestedSite",
    "at_communities",
    "measure",
    "minutes_to_nearest",
    "on_grid",
    "pair_minutes",
    "reach",
    "suggest",
]
