"""``jobcircle match-run``: a match run from the command line, with a progress bar.

It builds the search index as the API does (embedded: from the database; Elasticsearch: the
cluster as ``jobcircle reindex`` left it), records the run like ``POST /match-runs`` (as an
operator: every person of the city is in scope), and prints the counts and time per person.
"""

from __future__ import annotations

import asyncio
import getpass
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)


def match_run(
    station_id: Annotated[
        str | None, typer.Option(help="People registered at this station")
    ] = None,
    adcode: Annotated[str | None, typer.Option(help="Adcode prefix of where people live")] = None,
    group: Annotated[str | None, typer.Option(help="Priority group code")] = None,
    jobseeker_id: Annotated[
        list[str] | None, typer.Option("--id", help="A person's id (repeat the option)")
    ] = None,
    everyone: Annotated[
        bool, typer.Option(help="Also people in no priority group (default: members only)")
    ] = False,
    top_k: Annotated[int, typer.Option(min=1, max=20, help="New recommendations per person")] = 5,
    min_score: Annotated[float, typer.Option(min=0, max=1, help="Lowest score recommended")] = 0.0,
) -> None:
    """Recommend the top-k new postings to each selected person (nearest promise deadline
    first) and record them as cases; pairs recommended before are skipped, so it can be run
    again safely."""
    from service.cli import _check_schema_or_exit
    from service.config import get_settings
    from service.errors import ServiceError
    from service.matchruns.schemas import MatchRunCreate

    try:
        data = MatchRunCreate(
            station_id=station_id,
            adcode=adcode,
            group=group,
            jobseeker_ids=jobseeker_id or None,
            priority_only=not everyone,
            top_k=top_k,
            min_score=min_score,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    settings = get_settings()
    _check_schema_or_exit(settings)
    try:
        summary = asyncio.run(_run(settings, data))
    except ServiceError as exc:
        console.print(f"[red]{exc.detail or exc.title}[/red]")
        raise typer.Exit(code=2) from None
    typer.echo(summary)


async def _run(settings, data) -> str:  # type: ignore[no-untyped-def]
    from matching.matcher import Matcher
    from service.caller import Caller, Role
    from service.cases.clocks import china_today
    from service.circle.travel import travel_from
    from service.db import create_engine, create_sessionmaker
    from service.matchruns import service
    from service.progress import progress_bars
    from service.reference.data import load_reference
    from service.search.runtime import SearchRuntime, build_index, build_indexer, search_tokens

    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    ref = load_reference(settings)
    travel = travel_from(settings)
    index = build_index(settings, travel)
    indexer = build_indexer(settings, index, sessionmaker, ref.taxonomy, ref.policy)
    operator = Caller(role=Role.admin, actor_id=getpass.getuser(), via="cli")
    try:
        with progress_bars(console) as bar:
            tasks: dict[str, int] = {}

            def building(what: str, done: int, total: int) -> None:
                if what not in tasks:
                    tasks[what] = bar.add_task(f"索引 {what}", total=max(total, 1))
                bar.update(tasks[what], completed=done if total else 1, total=max(total, 1))

            if getattr(index, "changelog_position", None) is None:
                await indexer.build(building)
            search = SearchRuntime(
                encoder=indexer.encoder,
                matcher=Matcher(index, ref.taxonomy, ref.policy, travel=travel),
                indexer=indexer,
                tokenize=search_tokens,
            )
            async with sessionmaker() as session:
                people = await service.choose_people(session, ref, operator, data, china_today())
                run = service.new_run(operator, data, len(people))
                session.add(run)
                await session.commit()
            matching = bar.add_task("匹配 people", total=max(len(people), 1))

            def advance(done: int, total: int) -> None:
                bar.update(matching, completed=done, total=max(total, 1))

            run = await service.execute(
                sessionmaker,
                search,
                ref,
                run.id,
                people,
                progress=advance,
                workers=settings.match_workers,
            )
    finally:
        close = getattr(index, "close", None)
        if close is not None:
            await close()
        await engine.dispose()
    public = service.to_public(run)
    return (
        f"match run {public.id}: {public.status}; {public.people_done} people, "
        f"{public.recommendations_created} recommendations recorded, "
        f"{public.pairs_already_recommended} matches recommended before, "
        f"{public.people_skipped} people skipped; {public.seconds or 0:.1f} s "
        f"({public.ms_per_person or 0:.1f} ms per person)"
        + (f"\nerror: {public.error}" if public.error else "")
    )
