"""The `briefing` command: parses options and calls one function per command."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from generator import __version__
from generator.config import SiteConfig, load_config
from generator.errors import BriefingError, ConfigError

if TYPE_CHECKING:
    from generator.commands.fetch import FetchReport

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_INPUT_ERRORS, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Context:
    """Global options every command sees."""

    root: Path
    verbosity: int

    def config(self, **overrides: Any) -> SiteConfig:
        return load_config(self.root, overrides)


def _say(kind: str, message: str, ctx: Context) -> None:
    if kind in ("warning", "info") and ctx.verbosity < 0:
        return
    if kind == "info":
        click.echo(message)
    else:
        click.echo(f"{kind}: {message}", err=True)


def report_problems(ctx: Context, errors: Sequence[BriefingError], warnings: Sequence[str]) -> None:
    """Print warnings (unless quiet) and errors, each naming its file and line."""
    for w in warnings:
        _say("warning", w, ctx)
    for e in errors:
        _say("error", str(e), ctx)


def _fail(ctx: Context, exc: BaseException) -> NoReturn:
    if isinstance(exc, ConfigError):
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if ctx.verbosity > 0:
        raise exc
    click.echo(f"error: {type(exc).__name__}: {exc} (run with -v for the traceback)", err=True)
    sys.exit(EXIT_INPUT_ERRORS)


def handles_errors(func: F) -> F:
    """Turn exceptions into messages and exit codes (tracebacks only with -v)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx: Context = click.get_current_context().obj
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            _fail(ctx, exc)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Site root (the folder holding briefing.toml).")  # fmt: skip
@click.option("-v", "--verbose", count=True, help="More output; tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, root: Path, verbose: int, quiet: bool) -> None:
    """Turn news articles into a cross-linked static briefing site."""
    verbosity = -1 if quiet else verbose
    level = (
        logging.ERROR
        if quiet
        else logging.DEBUG
        if verbose > 1
        else logging.INFO
        if verbose
        else logging.WARNING
    )
    # The levels apply to this package's messages; libraries say only warnings and worse
    # (markdown-it alone logs every block rule it tries at debug level).
    logging.basicConfig(
        level=max(level, logging.WARNING), format="%(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("generator").setLevel(level)
    ctx.obj = Context(root=root, verbosity=verbosity)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
@handles_errors
def new(obj: Context, directory: Path) -> None:
    """Scaffold a new site in DIRECTORY."""
    from generator.commands.new import scaffold_site

    created = scaffold_site(directory)
    if obj.verbosity >= 0:
        click.echo(f"created a site in {directory} ({len(created)} files and folders)")
        click.echo(f"next: put articles in {directory / 'content' / 'articles'} and run "
                   f"'briefing --root {directory} build'")  # fmt: skip


out_option = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default site/)."
)
poll_option = click.option("--poll", is_flag=True, help="Poll for changes (network drives, VMs).")
jobs_option = click.option(
    "--jobs", type=click.IntRange(min=1), help="Worker processes (default: CPU count)."
)

scheduler_option = click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler (tcp://host:8786) to extract on; also DASK_SCHEDULER_ADDRESS or "
    "[cluster] scheduler in briefing.toml.",
)


def _hello_cluster(obj: Context, config: SiteConfig) -> None:
    """Reach the configured scheduler before anything is read or written (exit code 2 if it
    cannot be reached) and say what it offers."""
    if not config.scheduler:
        return
    from generator.cluster import connect, describe

    with connect(config.scheduler) as client:
        info = describe(client)
    if obj.verbosity >= 0:
        board = f", dashboard {info.dashboard}" if info.dashboard else ""
        click.echo(f"cluster: {info.address}, {info.workers} workers "
                   f"({info.threads} threads){board}", err=True)  # fmt: skip


def _parse_date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2025-11-04, got {value!r}") from None


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the briefing files (default content/briefings/).")  # fmt: skip
@click.option(
    "--date", callback=_parse_date, help="Publication date (YYYY-MM-DD) for inputs that give none."
)
@click.option("--source", help="Outlet name for inputs that give none.")
@click.option("--url", help="Address of the original article.")
@click.option(
    "--force",
    is_flag=True,
    help="Re-extract even unchanged inputs; replace hand-edited briefings (a .bak is kept).",
)
@jobs_option
@scheduler_option
@click.pass_obj
@handles_errors
def ingest(obj: Context, paths: tuple[str, ...], out: Path | None, date: dt.date | None,
           source: str | None, url: str | None, force: bool, jobs: int | None,
           scheduler: str | None) -> None:  # fmt: skip
    """Turn raw articles (files, folders, or http(s) addresses) into briefing files.

    An address is fetched (politely: see `briefing fetch`) and its response kept under
    content/articles/fetched/ before it is ingested."""
    from generator.commands.ingest import IngestOptions
    from generator.commands.ingest import ingest as run_ingest
    from generator.fetch.address import looks_like_address
    from generator.lock import site_lock

    config = obj.config(scheduler=scheduler)
    _hello_cluster(obj, config)
    addresses = [p for p in paths if looks_like_address(p)]
    files = [Path(p) for p in paths if not looks_like_address(p)]
    options = IngestOptions(date=date, source=source, url=url, force=force, jobs=jobs)
    out_dir = out.resolve() if out else None
    if addresses:
        from generator.commands.fetch import fetch_and_ingest
        from generator.fetch.settings import sources_from_addresses
        from generator.progress import progress_for

        report = fetch_and_ingest(
            config, sources_from_addresses(addresses), options, out_dir,
            progress_for(quiet=obj.verbosity < 0), paths=files, every_kept=True,
        )  # fmt: skip
        _report_fetch(obj, report)
        result = report.ingest
        failed = bool(report.failed)
    else:
        # The build's lock: a build (which ingests too) or another ingest writing the same
        # briefing files at the same time could back up or keep the wrong version.
        with site_lock(config.root):
            result = run_ingest(config, files or [config.articles_path], options, out_dir)
        failed = False
    if result is not None:
        report_problems(obj, result.errors, result.warnings)
        if obj.verbosity >= 0:
            for note in result.notes:
                click.echo(note, err=True)
            click.echo(
                f"ingest: {len(result.written)} written, {len(result.unchanged)} unchanged, "
                f"{len(result.kept_edited)} kept (edited by hand), {len(result.errors)} failed"
            )
        failed = failed or bool(result.errors)
    sys.exit(EXIT_INPUT_ERRORS if failed else EXIT_OK)


def _report_fetch(obj: Context, report: FetchReport) -> None:
    """Each failed address with its reason, then the fetch summary."""
    for pulled in report.failed:
        via = f" (an entry of {pulled.source})" if pulled.source != pulled.url else ""
        _say("error", f"{pulled.url}{via}: {pulled.reason}", obj)
    if obj.verbosity >= 0:
        fetched = sum(p.state != "failed" for p in report.sources)
        written = len(report.ingest.written) if report.ingest else 0
        failed = len(report.failed) + (len(report.ingest.errors) if report.ingest else 0)
        followed = f" ({len(report.pages)} pages followed from feeds)" if report.pages else ""
        click.echo(
            f"fetch: {fetched} sources fetched{followed}, {written} new articles, "
            f"{report.count('unchanged', 'kept')} unchanged, {failed} failed"
        )


@cli.command()
@jobs_option
@click.pass_obj
@handles_errors
def fetch(obj: Context, jobs: int | None) -> None:
    """Pull every [[sources]] entry of briefing.toml, politely, and ingest what is new."""
    from generator.commands.fetch import fetch_and_ingest
    from generator.commands.ingest import IngestOptions
    from generator.progress import progress_for

    config = obj.config()
    if not config.sources:
        raise ConfigError(
            'no [[sources]] to fetch: add one, e.g. [[sources]] url = "https://example.org/feed"',
            config.root / "briefing.toml",
        )
    report = fetch_and_ingest(config, config.sources, IngestOptions(jobs=jobs), None,
                              progress_for(quiet=obj.verbosity < 0))  # fmt: skip
    if report.ingest is not None:
        report_problems(obj, report.ingest.errors, report.ingest.warnings)
    _report_fetch(obj, report)
    errors = report.failed or (report.ingest.errors if report.ingest else [])
    sys.exit(EXIT_INPUT_ERRORS if errors else EXIT_OK)


def _build_config(obj: Context, out: Path | None, base_url: str | None) -> SiteConfig:
    config = obj.config(output_dir=out, base_url=base_url)
    return config


@cli.command()
@out_option
@click.option("--base-url", help="Absolute address the site is published at (feeds, sitemap).")
@click.option("--clean", is_flag=True, help="Ignore every cache and rebuild all output.")
@jobs_option
@scheduler_option
@click.pass_obj
@handles_errors
def build(
    obj: Context,
    out: Path | None,
    base_url: str | None,
    clean: bool,
    jobs: int | None,
    scheduler: str | None,
) -> None:
    """Ingest new or changed articles, then render the site."""
    from generator.commands.build import build as run_build
    from generator.progress import progress_for

    config = obj.config(output_dir=out, base_url=base_url, scheduler=scheduler)
    _hello_cluster(obj, config)
    # A bar on a terminal while it runs; the summary line below either way.
    bar = progress_for(quiet=obj.verbosity < 0)
    report = run_build(config, clean=clean, jobs=jobs, progress=bar)
    report_problems(obj, report.errors, [*report.ingest.warnings, *report.site.warnings])
    if obj.verbosity >= 0:
        for note in report.ingest.notes:
            click.echo(note, err=True)
        s = report.site
        click.echo(
            f"built {s.briefings} briefings into {config.output_path}: {s.pages_written} written, "
            f"{s.pages_unchanged} unchanged, {s.pages_removed} removed "
            f"({len(report.ingest.written)} ingested, {len(report.errors)} failed) "
            f"in {report.seconds:.2f} s"
        )
    sys.exit(EXIT_INPUT_ERRORS if report.errors else EXIT_OK)


@cli.command()
@out_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0 picks a free one).",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
@poll_option
@click.pass_obj
@handles_errors
def serve(
    obj: Context, out: Path | None, host: str, port: int, no_browser: bool, poll: bool
) -> None:
    """Build, watch and serve the site with live reload."""
    from generator.commands.preview import run_serve

    config = _build_config(obj, out, None)
    _exit_now(run_serve(config, host=host, port=port, open_browser=not no_browser, poll=poll,
                       say=lambda kind, msg: _say(kind, msg, obj)))  # fmt: skip


@cli.command()
@out_option
@poll_option
@click.pass_obj
@handles_errors
def watch(obj: Context, out: Path | None, poll: bool) -> None:
    """Build, then rebuild on every change (no server)."""
    from generator.commands.preview import run_watch

    config = _build_config(obj, out, None)
    _exit_now(run_watch(config, poll=poll, say=lambda kind, msg: _say(kind, msg, obj)))


@cli.command()
@out_option
@click.pass_obj
@handles_errors
def check(obj: Context, out: Path | None) -> None:
    """Validate the briefings and the built site."""
    from generator.site import check_site

    config = _build_config(obj, out, None)
    problems = check_site(config)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if obj.verbosity >= 0:
        click.echo(f"check: {len(problems)} problem(s)")
    sys.exit(EXIT_INPUT_ERRORS if problems else EXIT_OK)


def _exit_now(code: int) -> NoReturn:
    """Leave at once after Ctrl-C in serve/watch, even with a rebuild still running.

    A normal exit waits for worker pools of an unfinished rebuild; its outputs are
    written atomically, so abandoning it is safe and the next build finishes the work.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="briefing")
