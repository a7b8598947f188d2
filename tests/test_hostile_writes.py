"""No write outside the site: links planted where Briefing writes are replaced, never followed."""

from __future__ import annotations

from pathlib import Path

from tests.test_hostile import _copy_articles, make_hostile_site, run_cli

VICTIM = "a file the user can write, not part of any site\n"


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim" / ".bashrc"
    victim.parent.mkdir()
    victim.write_text(VICTIM, encoding="utf-8")
    return victim


def test_force_never_writes_through_a_symlinked_backup(tmp_path: Path) -> None:
    """Someone who can add content plants `<slug>.md.bak -> ~/.bashrc`; `ingest --force`
    replaces the link with the backup and leaves the file it pointed to as it was."""
    root = make_hostile_site(tmp_path)
    article = _copy_articles(root, ["undecodable.txt"]) / "undecodable.txt"
    assert run_cli(root, "ingest").returncode == 0
    target = root / "content" / "briefings" / "cafe-owners-in-port-ardith-protest-a-new-levy.md"
    edited = target.read_text(encoding="utf-8").replace("vote in May", "vote in June")
    target.write_text(edited, encoding="utf-8")
    article.write_bytes(article.read_bytes() + b"\nA late paragraph from the source.\n")
    victim = _victim(tmp_path)
    backup = target.with_name(target.name + ".bak")
    backup.symlink_to(victim)

    forced = run_cli(root, "ingest", "--force")

    assert forced.returncode == 0, forced.stderr
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert not backup.is_symlink()
    assert backup.read_text(encoding="utf-8") == edited
    assert "A late paragraph from the source." in target.read_text(encoding="utf-8")


def _tree(folder: Path, skip: str = "") -> dict[str, bytes]:
    """Every file under `folder` (but those under `skip`): relative path -> bytes."""
    files = (p for p in sorted(folder.rglob("*")) if p.is_file())
    tree = {p.relative_to(folder).as_posix(): p for p in files}
    return {k: p.read_bytes() for k, p in tree.items() if not (skip and k.startswith(skip + "/"))}


def test_the_writer_replaces_symlinked_folders_in_the_output(tmp_path: Path) -> None:
    """`site/actors -> /elsewhere`, `site/pagefind -> ...`, the writer's scratch folder and a
    page linked out: `build --clean` writes none of them, and replaces each link."""
    root = make_hostile_site(tmp_path)
    assert run_cli(root, "build").returncode == 1  # the hostile site has broken briefings
    out = root / "site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the site's\n", encoding="utf-8")
    victim = _victim(tmp_path)
    links = {"actors": elsewhere, "pagefind": elsewhere, ".briefing-tmp": elsewhere,
             "index.html": victim}  # fmt: skip
    for name, target in links.items():
        path = out / name
        if path.is_dir():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        path.symlink_to(target)
    before = _tree(elsewhere)

    result = run_cli(root, "build", "--clean")

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(elsewhere) == before
    assert victim.read_text(encoding="utf-8") == VICTIM
    for name in links:
        assert not (out / name).is_symlink(), name
        assert f"{out / name}: a symlink in the output folder; replaced" in result.stderr, name
    assert (out / "actors" / "lena-osk" / "index.html").is_file()
    assert (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_an_incremental_build_neither_writes_nor_removes_through_a_link(tmp_path: Path) -> None:
    """A build that keeps files must not replace a linked folder under them: it writes and
    removes nothing through the link, and runs again as a clean build that replaces it."""
    import shutil

    root = make_hostile_site(tmp_path)
    run_cli(root, "build")
    out = root / "site"
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(out / "actors", elsewhere)  # what the link shows: a copy, to be left alone
    shutil.rmtree(out / "actors")
    (out / "actors").symlink_to(elsewhere)
    before = _tree(elsewhere)
    briefings = root / "content" / "briefings"
    (briefings / "hostile-values.md").unlink()  # its actors' pages go stale: to be removed
    quay = briefings / "good-quay-repairs.md"  # and a role changes: a page to write
    quay.write_text(quay.read_text("utf-8").replace("harbour master", "port chief"), "utf-8")

    result = run_cli(root, "build")

    assert "Traceback" not in result.stderr
    assert _tree(elsewhere) == before
    assert not (out / "actors").is_symlink()
    assert f"{out / 'actors'}: a symlink in the output folder; replaced" in result.stderr
    assert "port chief" in (out / "actors" / "lena-osk" / "index.html").read_text("utf-8")
    assert not (out / "actors" / "vera-script-quill").exists()
    fresh = tmp_path / "fresh"
    assert run_cli(root, "build", "--clean", "--out", str(fresh)).returncode == 1
    assert _tree(fresh, "pagefind") == _tree(out, "pagefind")  # as a clean build makes it
