"""Benchmark whole builds from the command line: clean, no-op, one edit, watch edit, 10x corpus.

Run from the repository root (not part of the test run):

    python -m tests.bench.bench_build [--runs 5] [--scale 10] [--code DIR] [--json out.json]

It ingests ../shared/corpus/bbc/ into a temporary site once (kept in --work, default
/tmp/briefing-bench, keyed by the generator's version and code, since full extraction
takes a minute or two), then times `briefing build` in fresh processes: clean (output and
caches deleted; "write floor" is the time a bare loop takes to write the same files, the
file system's share of it), no-op, one-briefing edit, and an edit rebuilt in-process with
the changed path given (what watch mode does). With --scale N it does the same on the briefings
replicated N times with distinct slugs. --code DIR times another checkout's generator
(e.g. the commit before a change) on the same content. Reports medians, peak RSS of the
build process, pages written, and whether clean, cached and --jobs 1 outputs are identical.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BBC = REPO.parent / "shared" / "corpus" / "bbc"
_SUMMARY_RE = re.compile(r"(\d+) written, (\d+) unchanged, (\d+) removed")


_STAGE_RE = re.compile(r"DEBUG generator\.site\.[\w.]+: ([^:\n]+): ([\d.]+) s \(cpu ([\d.]+) s")


def stages(output: str) -> dict[str, dict[str, float]]:
    """The site stage's own breakdown (its debug log with -vv): wall and CPU s per stage."""
    return {
        m.group(1): {"wall_s": float(m.group(2)), "cpu_s": float(m.group(3))}
        for m in _STAGE_RE.finditer(output)
    }


def run_build(root: Path, code: Path, *args: str, breakdown: bool = False) -> dict[str, Any]:
    """One `briefing build` in a fresh process: wall and CPU seconds, peak RSS, files written.

    Peak RSS comes from GNU time when present: the rusage of a child forked from this
    (large) process would count this process's pages too.
    """
    environ = {**os.environ, "PYTHONPATH": str(code)}
    verbose = ["-vv"] if breakdown else []
    command = [sys.executable, "-m", "generator", *verbose, "--root", str(root), "build", *args]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        command = [timer, "-f", "@@rss %M", *command]
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environ, text=True
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out = (proc.stdout.read() if proc.stdout else "") + (proc.stderr.read() if proc.stderr else "")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"build failed ({proc.returncode}):\n{out[-2000:]}")
    m = _SUMMARY_RE.search(out)
    rss = re.search(r"@@rss (\d+)", out)
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "peak_rss_mb": round(int(rss.group(1)) / 1024 if rss else usage.ru_maxrss / 1024, 1),
        "written": int(m.group(1)) if m else None,
        "unchanged": int(m.group(2)) if m else None,
        **({"stages": stages(out)} if breakdown else {}),
    }


def write_floor(site: Path) -> dict[str, Any]:
    """What the file system alone costs a clean build: the output's files (as built) written
    by a bare loop into a new folder, one makedirs per folder and one open per file."""
    files = [(p.relative_to(site), p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()]
    floor = site.with_name(site.name + "-floor")
    shutil.rmtree(floor, ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    made: set[Path] = set()
    for rel, data in files:
        target = floor / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
    result = {
        "wall_s": round(time.perf_counter() - started, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "files": len(files),
        "folders": len(made),
    }
    shutil.rmtree(floor)
    return result


def median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of each numeric field over runs, plus the run count."""
    out: dict[str, Any] = {"runs": len(runs)}
    for key in runs[0]:
        values = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
        if values:
            out[key] = round(statistics.median(values), 3)
    return out


def code_stamp(code: Path) -> str:
    """The generator's version and code hash: ingested briefings (and the ingest timing) are
    kept per code, so an ingest figure is never one of an older code (--reingest: anew)."""
    script = (
        "import generator; from generator.site.incremental.cache import code_key; "
        "print(f'{generator.__version__}-{code_key()[:12]}')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or "unknown"


def ingested(work: Path, code: Path, limit: int, again: bool) -> tuple[Path, dict[str, Any]]:
    """A folder of briefings ingested from the BBC corpus, made once per generator version."""
    folder = work / f"bbc-briefings-{code_stamp(code)}-{limit or 'all'}"
    stats_file = folder / "ingest-stats.json"
    if stats_file.is_file() and not again:
        return folder, json.loads(stats_file.read_text())
    site = work / "ingest-site"
    shutil.rmtree(site, ignore_errors=True)
    articles = site / "content" / "articles"
    articles.mkdir(parents=True)
    files = sorted(BBC.glob("*.txt"))[: limit or None]
    for path in files:
        shutil.copy(path, articles / path.name)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(site), "-q", "ingest", str(articles)],
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr[-2000:])
    cores = os.cpu_count() or 1
    stats = {
        "articles": len(files),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(files) / seconds, 1),
        "articles_per_s_per_core": round(len(files) / seconds / cores, 1),
    }
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(site / "content", folder / "content")
    stats_file.write_text(json.dumps(stats))
    return folder, stats


def make_site(source: Path, root: Path, scale: int, with_articles: bool) -> None:
    """A site root holding the ingested briefings, replicated `scale` times with new slugs."""
    shutil.rmtree(root, ignore_errors=True)
    briefings = root / "content" / "briefings"
    briefings.mkdir(parents=True)
    (root / "briefing.toml").write_text('title = "Bench"\n', encoding="utf-8")
    if with_articles:
        shutil.copytree(source / "content" / "articles", root / "content" / "articles")
    for path in sorted((source / "content" / "briefings").glob("*.md")):
        if scale == 1:
            shutil.copy2(path, briefings / path.name)
            continue
        text = path.read_text(encoding="utf-8")
        for copy in range(scale):
            slug = f"{path.stem}-r{copy}"
            new = re.sub(r"^slug: .*$", f"slug: {slug}", text, count=1, flags=re.M)
            (briefings / f"{slug}.md").write_text(new, encoding="utf-8")
    settle(root / "content")


def settle(folder: Path) -> None:
    """Date files an hour back, as on a site edited a while ago (no 'racy' fresh stat data)."""
    past = time.time() - 3600
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


def edit(root: Path, index: int) -> Path:
    """Change one briefing's summary (a different one each time); returns its path.

    Through the briefing format itself: pasting words into the YAML line broke quoted
    summaries holding a colon.
    """
    from generator.briefing_md import parse_briefing, render_briefing

    files = sorted((root / "content" / "briefings").glob("*.md"))
    path = files[(index * 7919) % len(files)]
    briefing, _ = parse_briefing(path.read_text(encoding="utf-8"), str(path))
    edited = dataclasses.replace(briefing, summary=f"Edited {index}. {briefing.summary}")
    path.write_text(render_briefing(edited), encoding="utf-8")
    return path


WATCH_SCRIPT = """
import sys, time, json, re
from pathlib import Path
from dataclasses import replace
from generator.briefing_md import parse_briefing, render_briefing
from generator.commands.build import build
from generator.config import load_config
root, runs = Path(sys.argv[1]), int(sys.argv[2])
config = load_config(root)
build(config)
files = sorted((root / 'content' / 'briefings').glob('*.md'))
times = []
for i in range(runs):
    path = files[(i * 104729) % len(files)]
    b, _ = parse_briefing(path.read_text('utf-8'), str(path))
    path.write_text(render_briefing(replace(b, summary=f'Watch {i}. ' + b.summary)), 'utf-8')
    page = config.output_path / 'briefings' / path.stem / 'index.html'
    started = time.perf_counter()
    build(config, changed={path})
    times.append(time.perf_counter() - started)
    assert f'Watch {i}.' in page.read_text('utf-8'), page
print(json.dumps(times))
"""


def watch_edits(root: Path, code: Path, runs: int) -> dict[str, Any]:
    """Median time for an in-process rebuild after one save, given the changed path."""
    proc = subprocess.run(
        [sys.executable, "-c", WATCH_SCRIPT, str(root), str(runs)],
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-500:]}
    times = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"runs": len(times), "wall_s": round(statistics.median(times), 3)}


def tree_digest(out: Path) -> dict[str, str]:
    """Every output file's hash (the search bundle aside: Pagefind is not ours)."""
    return {
        p.relative_to(out).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
        for p in out.rglob("*")
        if p.is_file() and "pagefind" not in p.relative_to(out).parts[:1]
    }


def differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Paths whose content differs (or exist on one side only), a few for the report."""
    return sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))[:5]


def bench_site(
    root: Path, code: Path, runs: int, label: str, skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Clean, no-op, one-edit and watch-edit timings on one site root (minus `skip`)."""
    result: dict[str, Any] = {"site": label}

    def wipe() -> None:
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".briefing-cache", ignore_errors=True)

    cleans = []
    for _ in range(max(1, runs // 2)):
        wipe()
        cleans.append(run_build(root, code))
    result["clean"] = median(cleans)
    # One more clean build with the debug log on, for where its time goes (the log's own
    # cost is in this run only, not in the medians above).
    wipe()
    result["clean_stages"] = run_build(root, code, breakdown=True)["stages"]
    clean_tree = tree_digest(root / "site")
    result["pages_written"] = cleans[-1]["written"]
    result["write_floor"] = write_floor(root / "site")
    result["noop"] = median([run_build(root, code) for _ in range(runs)])
    result["identical_cached"] = tree_digest(root / "site") == clean_tree
    result["differing_cached"] = differing(tree_digest(root / "site"), clean_tree)
    edits = []
    for i in range(runs):
        edit(root, i)
        edits.append(run_build(root, code))
    result["one_edit"] = median(edits)
    if "watch_edit" not in skip:
        result["watch_edit"] = watch_edits(root, code, runs)
    if "clean_jobs1" in skip:
        return result
    # Byte-identical: a clean --jobs 1 build of the edited content equals the cached one.
    cached = tree_digest(root / "site")
    wipe()
    result["clean_jobs1"] = run_build(root, code, "--jobs", "1")
    result["identical_jobs1"] = tree_digest(root / "site") == cached
    result["differing_jobs1"] = differing(tree_digest(root / "site"), cached)
    return result


def table(results: list[dict[str, Any]], ingest: dict[str, Any]) -> str:
    """The results as a readable table."""
    lines = [
        f"ingest: {ingest.get('articles')} articles in {ingest.get('seconds')} s = "
        f"{ingest.get('articles_per_s')} articles/s ({ingest.get('articles_per_s_per_core')}/core)",
        f"{'site':<10}{'step':<12}{'wall s':>9}{'cpu s':>9}{'RSS MB':>9}{'written':>9}",
    ]
    for r in results:
        for step in ("clean", "clean_jobs1", "noop", "one_edit", "watch_edit"):
            m = r.get(step, {})
            lines.append(
                f"{r['site']:<10}{step:<12}{m.get('wall_s', '-'):>9}{m.get('cpu_s', '-'):>9}"
                f"{m.get('peak_rss_mb', '-'):>9}{m.get('written', '-')!s:>9}"
            )
        floor = r.get("write_floor", {})
        lines.append(
            f"{r['site']:<10}{'write floor':<12}{floor.get('wall_s', '-'):>9}"
            f"{floor.get('cpu_s', '-'):>9}{'':>9}{floor.get('files', '-')!s:>9}"
        )
        lines.append(
            f"{r['site']:<10}identical: cached={r.get('identical_cached')} "
            f"jobs1={r.get('identical_jobs1')}"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse options, run the benchmark, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10, help="also bench N x the corpus (0: no)")
    parser.add_argument("--limit", type=int, default=0, help="ingest only the first N articles")
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose generator runs")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefing-bench"))
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--reingest", action="store_true", help="ingest the corpus anew")
    parser.add_argument(
        "--skip-big", default="", help="steps to skip on the scaled site: watch_edit,clean_jobs1"
    )
    args = parser.parse_args()
    if not BBC.is_dir():
        sys.exit(f"corpus not found: {BBC}")
    args.work.mkdir(parents=True, exist_ok=True)
    # Time the code byte-compiled, as an installed package runs: where PYTHONDONTWRITEBYTECODE
    # is set, every fresh process would otherwise compile the modules it imports again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.code / "generator")],
                   check=True)  # fmt: skip
    source, ingest_stats = ingested(args.work, args.code, args.limit, args.reingest)
    results = []
    root = args.work / "site-1x"
    make_site(source, root, 1, with_articles=True)
    results.append(bench_site(root, args.code, args.runs, "1x"))
    if args.scale > 1:
        root = args.work / f"site-{args.scale}x"
        make_site(source, root, args.scale, with_articles=False)
        skip = frozenset(filter(None, args.skip_big.split(",")))
        label = f"{args.scale}x"
        results.append(bench_site(root, args.code, max(2, args.runs // 2), label, skip))
    report = {"ingest": ingest_stats, "sites": results, "code": str(args.code)}
    print(table(results, ingest_stats))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
