#!/usr/bin/env python3
"""Write python3-modules.json, the Python wheels the Flatpak build installs, pinned by sha256.

flatpak-builder works offline, so every wheel must be listed with its address and hash. This
asks pip which files it would install (for each architecture) and writes them out; the result
is generated, not committed. Run it whenever pyproject.toml's dependencies change:

    python3 packaging/flatpak/generate-python-modules.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON_VERSION = "3.12"  # the KDE 6.10 runtime's Python; the Qt wheels are abi3 anyway
ARCHES = {"x86_64": "manylinux_2_34_x86_64", "aarch64": "manylinux_2_39_aarch64"}
PYSIDE = "6.11.3"  # not 6.12.0 (see pyproject.toml)

PYPROJECT = HERE.parent.parent / "pyproject.toml"


def project_dependencies() -> list[str]:
    """pyproject.toml's dependencies except PySide6 (its own module, per architecture, pinned),
    so a dependency added there reaches the Flatpak too (tests/app/test_packaging.py checks)."""
    import tomllib  # Python 3.11+

    with PYPROJECT.open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    return [d for d in dependencies if not d.lower().startswith("pyside6")]


def modules() -> list[tuple[str, list[str], bool, list[str], list[str]]]:
    return [
        # (module name, requirements, per-architecture wheels?, install command extras, cleanup)
        ("python3-hatchling", ["hatchling"], False, [], ["*"]),
        ("python3-pyside6-essentials", [f"PySide6-Essentials=={PYSIDE}"], True,
         ["sh trim-pyside6.sh ${FLATPAK_DEST}/lib/python3.*/site-packages"], ["/bin/pyside6-*"]),
        # APScheduler, platformdirs, tzlocal, jeepney, icalendar, recurring-ical-events and
        # what they pull in (python-dateutil, tzdata, x-wr-timezone, click...): all pure Python.
        ("python3-quell-dependencies", project_dependencies(), False, [], []),
    ]


def resolve(requirements: list[str], platform: str | None) -> list[dict[str, str]]:
    """The wheels pip would install for *requirements*: their url and sha256."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        # --isolated: ignore local pip configuration (mirrors, find-links) so the addresses are
        # the public ones anybody can fetch.
        command = [sys.executable, "-m", "pip", "--isolated", "install", "--quiet", "--dry-run",
                   "--ignore-installed", "--only-binary=:all:", "--report", str(report),
                   "--target", str(Path(tmp) / "target")]
        if platform:
            command += ["--platform", platform, "--python-version", PYTHON_VERSION]
        subprocess.run(command + requirements, check=True)
        installed = json.loads(report.read_text())["install"]
    return [{"url": item["download_info"]["url"],
             "sha256": item["download_info"]["archive_info"]["hashes"]["sha256"]}
            for item in installed]


def main() -> int:
    modules = []
    for name, requirements, per_arch, extra, cleanup in modules():
        sources: list[dict[str, object]] = []
        if name == "python3-pyside6-essentials":
            sources.append({"type": "file", "path": "trim-pyside6.sh"})
        if per_arch:
            for arch, platform in ARCHES.items():
                sources += [{"type": "file", "only-arches": [arch], **wheel}
                            for wheel in resolve(requirements, platform)]
        else:
            sources += [{"type": "file", **wheel}
                        for wheel in resolve(requirements, ARCHES["x86_64"])]
        names = " ".join(f'"{r}"' for r in requirements)
        modules.append({
            "name": name,
            "buildsystem": "simple",
            "build-commands": [
                "pip3 install --verbose --exists-action=i --no-index "
                '--find-links="file://${PWD}" --prefix=${FLATPAK_DEST} '
                f"--no-build-isolation {names}",
                *extra,
            ],
            "sources": sources,
            **({"cleanup": cleanup} if cleanup else {}),
        })
    out = HERE / "python3-modules.json"
    out.write_text(json.dumps(modules, indent=2) + "\n")
    print(f"wrote {out} ({sum(len(m['sources']) for m in modules)} sources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
