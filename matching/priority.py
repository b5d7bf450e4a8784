"""The priority policy applied to match results.

For a posting's candidates ("put priority groups first", DOMAIN.md):
- tier 0: qualified (score ≥ threshold) members of a priority group, ordered by the policy's group
  order (``order`` in the policy file), then by score;
- tier 1: other qualified candidates, by score;
- tier 2: candidates below the threshold, by score — a member below it does not jump ahead.
Within each tier, "first at equal conditions" (``equal_conditions_first``, veterans by default,
同等条件下优先): a member of those groups moves ahead of the candidates before it whose score is
within ``epsilon`` of theirs. Reserved posts go only to members of their groups.

For a person's postings: a posting aimed at one of the person's groups (linked to an event that
targets the group, or reserved for it) gets ``targeted_boost`` on its score. General jobs are
never hidden from a group member; priority only moves things forward.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matching.documents import JobseekerDoc, PostingDoc
from matching.policy import PriorityPolicy


@dataclass(frozen=True)
class PriorityRules:
    # Scores are weighted means of features in [0, 1] where 0.5 is "no information"; 0.5 thus
    # means "better than knowing nothing" — a plain, explainable bar that cities can move.
    threshold: float = 0.5
    # Two candidates are "equally qualified" within 0.02, about the effect of one minor feature
    # (e.g. a posting a week older); larger values would override real differences.
    epsilon: float = 0.02
    # A fifth of the distance between a fair and a good match: enough to lift a targeted posting
    # above similar general ones, not enough to lift a poor match over a good one.
    targeted_boost: float = 0.1


@dataclass(frozen=True)
class Ranked:
    id: str
    score: float
    tier: int
    groups: tuple[str, ...]  # the person's priority groups known to the policy, by group order


def reserved_groups(
    policy: PriorityPolicy,
    *,
    employment_type: str | None,
    explicit: Iterable[str] = (),
    events: Iterable[tuple[str | None, Iterable[str]]] = (),
) -> tuple[str, ...]:
    """The effective ``PostingDoc.reserved_for``: groups named on the posting plus the groups of
    every policy rule that matches it, per linked event ``(event_kind, event_target_groups)``.
    The service calls this when it builds the document."""
    groups = set(explicit)
    matched = policy.reserved_for(employment_type=employment_type)
    groups |= matched or set()
    for kind, targets in events:
        found = policy.reserved_for(
            employment_type=employment_type, event_kind=kind, event_target_groups=tuple(targets)
        )
        groups |= found or set()
    return tuple(sorted(groups))


def posting_reserved(policy: PriorityPolicy, posting: PostingDoc) -> frozenset[str]:
    """Groups the posting is reserved for: its own list plus the policy's employment-type rules,
    re-checked here so a document built without ``reserved_groups`` still cannot leak."""
    by_type = _reserved_by_type(policy, posting.employment_type)
    return frozenset(posting.reserved_for) | by_type if posting.reserved_for else by_type


_BY_TYPE: dict[int, tuple[PriorityPolicy, dict[str | None, frozenset[str]]]] = {}


def _reserved_by_type(policy: PriorityPolicy, employment_type: str | None) -> frozenset[str]:
    # Asked for every candidate of every match; the answer depends on the type alone. Cached
    # by identity like ``_group_rank``: the policy is immutable.
    cached = _BY_TYPE.get(id(policy))
    if cached is None or cached[0] is not policy:
        cached = _BY_TYPE[id(policy)] = (policy, {})
    known = cached[1]
    if employment_type not in known:
        found = policy.reserved_for(employment_type=employment_type)
        known[employment_type] = found or frozenset()
    return known[employment_type]


def may_offer(policy: PriorityPolicy, posting: PostingDoc, groups: Iterable[str]) -> bool:
    reserved = posting_reserved(policy, posting)
    return not reserved or not reserved.isdisjoint(groups)


def types_reserved_from(policy: PriorityPolicy, groups: Iterable[str]) -> tuple[str, ...]:
    """Employment types that policy rules reserve for groups the person is not in."""
    mine = set(groups)
    return tuple(
        sorted(
            rule.when.employment_type
            for rule in policy.reserved_posts
            if rule.when.employment_type
            and rule.when.event_kind is None
            and rule.when.event_target_group is None
            and mine.isdisjoint(rule.groups)
        )
    )


def priority_groups(policy: PriorityPolicy, groups: Iterable[str]) -> tuple[str, ...]:
    """The person's groups that the policy knows, in the policy's order."""
    rank = _group_rank(policy)
    return tuple(sorted((code for code in set(groups) if code in rank), key=rank.__getitem__))


_RANKS: dict[int, tuple[PriorityPolicy, dict[str, int]]] = {}


def _group_rank(policy: PriorityPolicy) -> dict[str, int]:
    # Sorting the groups (and hashing a pydantic model for an lru_cache) is not free and this
    # runs per candidate: cache by identity; the policy is immutable.
    cached = _RANKS.get(id(policy))
    if cached is None or cached[0] is not policy:
        ranks = {code: position for position, code in enumerate(policy.group_codes)}
        cached = _RANKS[id(policy)] = (policy, ranks)
    return cached[1]


def order_candidates(
    entries: Sequence[tuple[str, float, Iterable[str]]],
    policy: PriorityPolicy,
    rules: PriorityRules = PriorityRules(),
) -> list[Ranked]:
    """Order (id, score, groups) candidates for a posting into tiers 0/1/2 (module docstring)."""
    rank = _group_rank(policy)
    ranked = []
    for candidate_id, score, groups in entries:
        known = priority_groups(policy, groups)
        qualified = score >= rules.threshold
        tier = 2 if not qualified else 0 if known else 1
        ranked.append(Ranked(candidate_id, score, tier, known))

    def key(item: Ranked) -> tuple[int, int, float, str]:
        group_rank = rank[item.groups[0]] if item.tier == 0 else 0
        return item.tier, group_rank, -item.score, item.id

    ranked.sort(key=key)
    first = set(policy.equal_conditions_first)
    return _equal_conditions(ranked, first, rules.epsilon) if first else ranked


def _equal_conditions(ranked: list[Ranked], first: set[str], epsilon: float) -> list[Ranked]:
    """Move each equal-conditions member just before the earliest candidate of its tier that
    precedes it, is not such a member, and scores within ``epsilon`` of it."""
    result: list[Ranked] = []
    tier_start = 0
    for item in ranked:
        if result and result[-1].tier != item.tier:
            tier_start = len(result)
        position = len(result)
        if not first.isdisjoint(item.groups):
            for index in range(len(result) - 1, tier_start - 1, -1):
                earlier = result[index]
                if not first.isdisjoint(earlier.groups):
                    continue
                if abs(earlier.score - item.score) <= epsilon + 1e-12:
                    position = index
                elif item.tier != 0 and earlier.score > item.score + epsilon:
                    break  # tiers 1 and 2 are ordered by score: nothing earlier is within reach
        result.insert(position, item)
    return result


def person_boost(
    policy: PriorityPolicy,
    posting: PostingDoc,
    seeker: JobseekerDoc,
    rules: PriorityRules = PriorityRules(),
) -> tuple[float, tuple[str, ...]]:
    """Score boost and reasons for a posting aimed at one of the person's groups."""
    if not seeker.groups:
        return 0.0, ()
    mine = set(seeker.group_codes)
    reserved = sorted(mine & posting_reserved(policy, posting))
    events = sorted(mine.intersection(posting.event_target_groups))
    if not reserved and not events:
        return 0.0, ()
    reasons = []
    if reserved:
        names = "、".join(group_name(policy, code) for code in reserved)
        kind = "公益性岗位" if posting.employment_type == "public_welfare" else "专门岗位"
        reasons.append(f"{kind}（{names}专岗）")
    if events:
        reasons.append("专场招聘面向：" + "、".join(group_name(policy, c) for c in events))
    return rules.targeted_boost, tuple(reasons)


def group_name(policy: PriorityPolicy, code: str) -> str:
    return policy.group(code).name if policy.has_group(code) else code


def group_reasons(
    policy: PriorityPolicy, groups: Sequence[str], *, for_employer: bool
) -> list[str]:
    """ "优先群体：退役军人" for staff. Employers see only that the person is in a priority group:
    membership can reveal sensitive personal information (disability, release from prison)."""
    if not groups:
        return []
    if for_employer:
        return ["重点群体（同等条件优先推荐）"]
    return ["优先群体：" + "、".join(group_name(policy, code) for code in groups)]
