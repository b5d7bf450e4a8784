"""The ``jobcircle circle`` and ``jobcircle communities`` commands."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from service.circle.importer import CommunityImportReport
    from service.circle.report import WrittenReport
    from service.circle.schemas import CircleStats
    from service.config import Settings

circle_app = typer.Typer(help="The 15-minute employment service circle for planners.")
communities_app = typer.Typer(help="Population points (communities) of the circle.")
console = Console(stderr=True)


@communities_app.command("import")
def import_communities(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file")],
) -> None:
    """Import communities (name, adcode, lat, lon, population) from CSV: good rows stored,
    bad rows reported by number; running it again changes nothing. Exit 1 if rows were bad."""
    from matching.regions import load_regions
    from service.circle.importer import FileRefused
    from service.circle.service import import_communities as run_import
    from service.cli import _check_schema_or_exit
    from service.config import get_settings
    from service.db import create_engine, create_sessionmaker

    settings = get_settings()
    _check_schema_or_exit(settings)

    async def run() -> CommunityImportReport:
        engine = create_engine(settings)
        try:
            async with create_sessionmaker(engine)() as session:
                report = await run_import(session, load_regions(), path.read_bytes())
                await session.commit()
                return report
        finally:
            await engine.dispose()

    try:
        report = asyncio.run(run())
    except FileRefused as exc:
        console.print(f"[red]{path}: {exc}[/red]")
        raise typer.Exit(code=2) from None
    typer.echo(
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
    )
    for bad in report.rejected:
        reasons = "; ".join(f"{e.field or ''} {e.message}".strip() for e in bad.errors)
        typer.echo(f"  row {bad.row}: {reasons}")
    raise typer.Exit(code=1 if report.rejected else 0)


@circle_app.command("report")
def report(
    out: Annotated[Path, typer.Option(help="Directory for the CSV files and the map")],
    adcode: Annotated[
        str | None, typer.Option(help="Count the communities of this division only")
    ] = None,
    minutes: Annotated[
        float | None, typer.Option(help="Travel limit (default: the policy's)")
    ] = None,
    mode: Annotated[
        str | None, typer.Option(help="walk, bike, ebike, transit or drive (default: policy)")
    ] = None,
    kinds: Annotated[
        str | None, typer.Option(help="Station kinds that count, comma-separated (default all)")
    ] = None,
    suggest: Annotated[int, typer.Option(help="New sites to suggest")] = 5,
    grid_km: Annotated[
        float | None, typer.Option(help="Also consider grid points this far apart as sites")
    ] = None,
) -> None:
    """Write coverage per district, the uncovered communities, suggested new sites (CSV) and a
    map (SVG) of the circle."""
    from service.circle.endpoints import parse_kinds
    from service.cli import _check_schema_or_exit
    from service.config import get_settings
    from service.errors import InvalidInput

    if adcode is not None and not (adcode.isdigit() and 2 <= len(adcode) <= 6):
        raise typer.BadParameter("2 to 6 digits of a division code", param_hint="--adcode")
    if mode is not None and mode not in ("walk", "bike", "ebike", "transit", "drive"):
        raise typer.BadParameter("walk, bike, ebike, transit or drive", param_hint="--mode")
    if minutes is not None and not 0 < minutes <= 180:
        raise typer.BadParameter("between 0 and 180", param_hint="--minutes")
    try:
        chosen_kinds = parse_kinds(kinds)
    except InvalidInput as exc:
        raise typer.BadParameter(exc.detail or "unknown kind", param_hint="--kinds") from None
    settings = get_settings()
    _check_schema_or_exit(settings)
    written, summary = asyncio.run(
        _report(settings, out, adcode, minutes, mode, chosen_kinds, suggest, grid_km)
    )
    typer.echo(summary)
    for path in written.paths:
        typer.echo(f"  wrote {path}")


async def _report(
    settings: Settings,
    out: Path,
    adcode: str | None,
    minutes: float | None,
    mode: str | None,
    kinds: frozenset[str] | None,
    suggest: int,
    grid_km: float | None,
) -> tuple[WrittenReport, str]:
    from matching.policy import load_policy
    from matching.regions import load_regions
    from service.circle.report import write_report
    from service.circle.schemas import circle_stats
    from service.circle.service import CircleQuery, CircleReference, circle_result
    from service.circle.travel import travel_from
    from service.db import create_engine, create_sessionmaker

    ref = CircleReference(load_regions(), load_policy(settings.policy_file))
    defaults = ref.policy.travel_defaults
    query = CircleQuery(
        prefixes=(adcode,) if adcode else (),
        mode=mode or defaults.mode,
        minutes=minutes or defaults.max_minutes,
        kinds=kinds,
        suggest=suggest,
        grid_km=grid_km,
    )
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            result = await circle_result(session, ref, travel_from(settings), query)
    finally:
        await engine.dispose()
    stats = circle_stats(result)
    city = ref.regions.get(settings.city_adcode) if settings.city_adcode else None
    place = result.district_names.get(adcode, adcode) if adcode else (city.name if city else "")
    title = f"{place or ''} 就业服务圈 The employment service circle".strip()
    written = write_report(result, stats, out, title=title)
    return written, _summary(stats)


def _summary(stats: CircleStats) -> str:
    overall = stats.overall
    share = f"{overall.share:.1%}" if overall.share is not None else "—"
    lines = [
        f"{stats.mode} {stats.minutes:g} min: {overall.covered_population:,} of "
        f"{overall.population:,} people inside ({share}); {stats.uncovered_total} communities "
        f"outside; {stats.stations_counted} stations counted, "
        f"{stats.stations_without_coordinates} without coordinates skipped",
    ]
    for tier in stats.tiers:
        tier_share = f"{tier.overall.share:.1%}" if tier.overall.share is not None else "—"
        lines.append(f"  {tier.name} ({tier.mode} {tier.minutes:g} min): {tier_share}")
    for site in stats.suggestions:
        lines.append(f"  site {site.rank}: {site.label} +{site.added_population:,} people")
    return "\n".join(lines)
