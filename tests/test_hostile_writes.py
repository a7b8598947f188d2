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
