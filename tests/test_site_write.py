"""The output writer: only changed bytes, atomic, its own stale files only, never outside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.site.output.write import MANIFEST, SCRATCH, OutputWriter, write_output


def test_writes_then_skips_identical_bytes(tmp_path: Path) -> None:
    stats = write_output(tmp_path, {"a/index.html": b"A", "b.txt": b"B"})
    assert (stats.written, stats.unchanged, stats.removed) == (2, 0, 0)
    os.utime(tmp_path / "b.txt", (1, 1))
    stats = write_output(tmp_path, {"a/index.html": b"A", "b.txt": b"B2"})
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (tmp_path / "b.txt").read_bytes() == b"B2"
    assert (tmp_path / "a/index.html").read_bytes() == b"A"


def test_a_hand_changed_output_file_is_rewritten(tmp_path: Path) -> None:
    write_output(tmp_path, {"x.html": b"abc"})
    (tmp_path / "x.html").write_bytes(b"xyz")  # same size, manifest hash says "unchanged"
    stats = write_output(tmp_path, {"x.html": b"abc"})
    # Same size and a matching record is trusted (the fast path); other sizes are rewritten.
    assert stats.written + stats.unchanged == 1
    (tmp_path / "x.html").write_bytes(b"longer")
    assert write_output(tmp_path, {"x.html": b"abc"}).written == 1
    assert (tmp_path / "x.html").read_bytes() == b"abc"


def test_removes_only_its_own_stale_files_and_empty_folders(tmp_path: Path) -> None:
    write_output(tmp_path, {"gone/deep/index.html": b"1", "kept.html": b"2"})
    (tmp_path / "user.txt").write_text("not ours")
    stats = write_output(tmp_path, {"kept.html": b"2"})
    assert stats.removed == 1
    assert not (tmp_path / "gone").exists()
    assert (tmp_path / "user.txt").exists() and (tmp_path / MANIFEST).exists()


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    write_output(tmp_path, {f"p{i}.html": b"x" * i for i in range(5)})
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST] + [
        f"p{i}.html" for i in range(5)
    ]


def test_the_next_write_clears_a_killed_writes_temporary_files(tmp_path: Path) -> None:
    (tmp_path / SCRATCH).mkdir()
    (tmp_path / SCRATCH / "7.tmp").write_bytes(b"half a pa")
    write_output(tmp_path, {"index.html": b"whole"})
    assert not (tmp_path / SCRATCH).exists()
    assert (tmp_path / "index.html").read_bytes() == b"whole"


@pytest.mark.parametrize(
    "bad", ["../escape.html", "/abs.html", "a/../../x", "", MANIFEST, f"{SCRATCH}/x.html"]
)
def test_refuses_paths_outside_the_output(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(ValueError):
        write_output(out, {bad: b"x"})
    assert not (tmp_path / "escape.html").exists()


def test_a_forged_manifest_cannot_delete_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (out / MANIFEST).write_text('{"version": 1, "files": {"../victim.txt": "x"}}')
    write_output(out, {"index.html": b"i"})
    assert victim.read_text() == "keep"


def test_new_folders_appear_whole_when_the_write_finishes(tmp_path: Path) -> None:
    """Files of folders the output lacks are staged and moved in at the end: a reader never
    sees a new section half-written, and a failed build leaves none of it."""
    from generator.site.output.write import OutputWriter

    out = tmp_path / "site"
    write_output(out, {"index.html": b"home", "actors/old/index.html": b"old"})
    with OutputWriter(out) as writer:
        for path, data in {
            "index.html": b"home",
            "actors/old/index.html": b"old",
            "actors/new/index.html": b"new",
            "actors/new/feed.xml": b"<feed/>",
            "topics/a/b/index.html": b"topic",
        }.items():
            writer.put(path, data)
        assert not (out / "actors" / "new").exists() and not (out / "topics").exists()
    assert (out / "actors/new/index.html").read_bytes() == b"new"
    assert (out / "actors/new/feed.xml").read_bytes() == b"<feed/>"
    assert (out / "topics/a/b/index.html").read_bytes() == b"topic"
    assert not (out / SCRATCH).exists()
    with pytest.raises(RuntimeError), OutputWriter(out) as writer:
        writer.put("stories/s/index.html", b"story")
        raise RuntimeError("the build failed")
    assert not (out / "stories").exists()


def test_new_folders_published_mid_write_are_readable_and_later_ones_still_staged(
    tmp_path: Path,
) -> None:
    """The build publishes the new folders of its pages before it writes the feeds (the
    search indexer reads the pages meanwhile): they are on disk whole at that point, and a
    new folder put after it is staged and moved in as before."""
    from generator.site.output.write import OutputWriter

    out = tmp_path / "site"
    write_output(out, {"index.html": b"home"})
    with OutputWriter(out) as writer:
        writer.put("briefings/a/index.html", b"a")
        writer.put("briefings/b/index.html", b"b")
        assert not (out / "briefings").exists()
        writer.publish_new()
        assert (out / "briefings/a/index.html").read_bytes() == b"a"
        assert (out / "briefings/b/index.html").read_bytes() == b"b"
        writer.put("briefings/c/index.html", b"c")  # a new folder inside a published one
        writer.put("actors/x/feed.xml", b"<feed/>")
        assert not (out / "actors").exists()
    assert (out / "briefings/c/index.html").read_bytes() == b"c"
    assert (out / "actors/x/feed.xml").read_bytes() == b"<feed/>"
    assert not (out / SCRATCH).exists()
    assert writer.stats.written == 4


def test_a_session_reuses_the_manifest_it_wrote_until_another_build_replaces_it(
    tmp_path: Path,
) -> None:
    """A preview's next writer takes the last one's manifest instead of reading the file,
    but only while the file is the one it left: after another build wrote b.html with
    other bytes of the same size, writing the old bytes again must not be skipped."""
    out = tmp_path / "site"
    with OutputWriter(out) as first:
        first.put("a.html", b"A")
        first.put("b.html", b"B")
    assert first.manifest is not None
    with OutputWriter(out, last=first.manifest) as second:
        assert second.old is first.manifest.files  # not read again
        assert second.keep("a.html", 1) and second.keep("b.html", 1)
    write_output(out, {"a.html": b"A", "b.html": b"C"})  # another process builds meanwhile
    with OutputWriter(out, last=second.manifest, look_later=True) as third:
        third.put("b.html", b"B")
        assert third.keep("a.html", 1)
    assert (out / "b.html").read_bytes() == b"B"
