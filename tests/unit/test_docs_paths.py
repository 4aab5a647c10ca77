"""Every repository path README.md and docs/*.md name exists, so the map a newcomer reads stays true.

A path is read in backticks (`services/bookings/domain/ratio.py`) or as a link target; it starts
with one of the repository's folders below. A `:function` or `::test` suffix is allowed: the file
part is checked. Placeholders (`services/<name>/`, `{id}`, `*`, `…`) are not paths.
"""

import re
import subprocess

import pytest

from shared import config

ROOT = config.REPO_ROOT
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FOLDERS = ("services", "shared", "tests", "docs", "deploy")
IN_BACKTICKS = re.compile(r"`([^`\s]+)`")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
PLACEHOLDER = re.compile(r"[<>{}*…]")


def file_part(name):
    """`services/x.py::test_y` and `services/x.py:function` -> `services/x.py`."""
    return name.split("::", 1)[0].split(":", 1)[0]


def named_paths(text):
    """The repository paths a document names, each once, in order."""
    found = []
    for name in IN_BACKTICKS.findall(text) + LINK_TARGET.findall(text):
        path = file_part(name.split("#", 1)[0])
        if path.split("/", 1)[0] in FOLDERS and "/" in path and not PLACEHOLDER.search(path):
            found.append(path)
    return list(dict.fromkeys(found))


def relative_links(document):
    """Links between documents (`[architecture](architecture.md)`), from the document's folder."""
    targets = [target.split("#", 1)[0] for target in LINK_TARGET.findall(document.read_text(encoding="utf-8"))]
    return [t for t in targets if t and "://" not in t and not t.startswith(("/", "mailto:")) and "/" not in t]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_path_a_document_names_exists(document):
    names = named_paths(document.read_text(encoding="utf-8"))
    missing = [path for path in names if not (ROOT / path).exists()]
    missing += [target for target in relative_links(document) if not (document.parent / target).exists()]
    assert missing == []


def test_the_reader_sees_what_it_must():
    text = (
        "`services/bookings/domain/ratio.py`, `tests/unit/x.py::test_y`, `shared/db.py:get_locked`, "
        "[guide](docs/contributing.md#add-a-service), `services/<name>/`, `/api/v1/rooms`, `make run`, "
        "`docs/{name}-rules.md`, `var/notifications.mbox`"
    )
    assert named_paths(text) == [
        "services/bookings/domain/ratio.py",
        "tests/unit/x.py",
        "shared/db.py",
        "docs/contributing.md",
    ]
    assert len(DOCUMENTS) > 5


def tracked_text_files():
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    kept = (
        ".py",
        ".md",
        ".html",
        ".js",
        ".css",
        ".yaml",
        ".yml",
        ".toml",
        ".sql",
        ".json",
        ".txt",
        "Makefile",
        "Procfile",
    )
    return [ROOT / name for name in names if name.endswith(kept) and not name.startswith(".ci/")]


OUTSIDE = re.compile(r"api-contract\.md|\.\./shared/")
PLANNING_TAG = re.compile(r"\[\d{1,2}/(1\d|20)\]")  # a ticket's place in a plan, meaningless to a maintainer


def test_no_file_points_at_documents_outside_the_repository():
    pointing = [str(path.relative_to(ROOT)) for path in tracked_text_files() if OUTSIDE.search(path.read_text("utf-8"))]
    assert pointing == [], "bring what they rely on into docs/ and point there"


def test_no_file_cites_a_planning_tag_instead_of_saying_why():
    citing = [
        str(path.relative_to(ROOT)) for path in tracked_text_files() if PLANNING_TAG.search(path.read_text("utf-8"))
    ]
    assert citing == []
