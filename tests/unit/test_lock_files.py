"""requirements/runtime.lock and test.lock (`make lock`): every pin of pyproject.toml is in them at
the same version, every package in them carries hashes, and both the image and `make install`
install from them with --require-hashes (docs/stack.md, "Locked dependencies")."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def pins(requirements):
    found = {}
    for requirement in requirements:
        match = PIN.match(requirement.strip())
        assert match, f"{requirement!r} is not pinned with =="
        found[normalised(match.group(1))] = match.group(2)
    return found


def normalised(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(kind):
    """{package: (version, number of hashes)} of one lock file."""
    text = (ROOT / "requirements" / f"{kind}.lock").read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block)
        if match:
            entries[normalised(match.group(1))] = (match.group(2), block.count("--hash=sha256:"))
    return entries


def project():
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]


def test_every_runtime_pin_is_locked_at_its_version_with_hashes():
    lock = locked("runtime")
    for name, version in pins(project()["dependencies"]).items():
        assert lock.get(name, (None,))[0] == version, f"{name}=={version}: run `make lock`"
    assert all(hashes for _version, hashes in lock.values()), "a package without hashes"


def test_every_test_pin_is_locked_too_and_the_test_lock_holds_the_runtime_one():
    lock = locked("test")
    wanted = {**pins(project()["dependencies"]), **pins(project()["optional-dependencies"]["test"])}
    for name, version in wanted.items():
        assert lock.get(name, (None,))[0] == version, f"{name}=={version}: run `make lock`"
    runtime = locked("runtime")
    assert {name: version for name, (version, _) in runtime.items()} == {name: lock[name][0] for name in runtime}, (
        "the two lock files disagree on a shared package"
    )


def test_the_image_and_make_install_install_from_the_locks_with_hashes_required():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/runtime.lock" in dockerfile
    assert re.search(r"pip install [^\n]*--no-deps \.", dockerfile)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/test.lock" in makefile
