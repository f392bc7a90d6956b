"""`make mutation`: mutmut on quell/core against tests/core, a per-module score, 90 % or fail.

Usage: python tools/mutation.py [--report] [MODULE ...]   (e.g. `streaks reminders`; default: all)

mutmut finds the code under test only in a source root named ".", "src" or "source", and names
each mutant after its file's path; our package lives in desktop/quell (the product card wants
desktop/ as the source folder), so run where it is, every mutant would be named
"desktop.quell.core...." while the tests import "quell.core....", and mutmut stops. So the run
happens in a work tree staged for it, build/mutation/: src -> desktop/ (mutmut's own root, so
mutants are named quell.core.<module>), desktop -> desktop/ (copied as is, for the tests that
read the source text by path), tests -> tests/, and a pyproject.toml made of our pytest options
and [tool.mutmut] (whose paths are that tree's). The verdicts are in build/mutation/mutants/.

With no module named, the build/mutation/mutants/ copy is rebuilt from scratch, so every score
is measured against the tests as they are now (mutmut keeps old verdicts otherwise). Naming
modules re-runs only their mutants and keeps the others' verdicts from the last run.
MUTATION_JOBS sets the number of workers (default 2: the machine is shared). --report prints the
table of the last run without running anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    from tomllib import loads as load_toml
else:  # mutmut itself reads its configuration with toml (a dependency of it) before 3.11
    from toml import loads as load_toml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "desktop"
CORE = SOURCE / "quell" / "core"
WORK = ROOT / "build" / "mutation"
MUTANTS = WORK / "mutants"
THRESHOLD = 90.0
# The work tree's entries: name -> what it points at in the repository.
LINKS = {"src": SOURCE, "desktop": SOURCE, "tests": ROOT / "tests"}

# mutmut's verdicts by worker exit code (mutmut/stats.py); anything else is "suspicious".
KILLED_CODES = {1, 3}
SURVIVED_CODES = {0}
NO_TESTS_CODES = {5, 33}
TIMEOUT_CODES = {36, -24, 24, 152, 255}
TYPE_CHECK_CODES = {37}
SKIPPED_CODES = {34}

# Functions whose only call is at import time, to build a module's constant tables. mutmut
# mutates through a trampoline that picks the mutant when the function is *called*, and the
# module is imported once, before any mutant is active, so these mutants can never be tested
# (they show as "no tests"). What those tables hold is tested through the public API that reads
# them. Nothing else is excluded: code no test reaches counts as a surviving mutant.
IMPORT_TIME_ONLY: dict[str, str] = {
    "quell.core.triage.x__describe_keys": "builds ANSWER_KEYS at import",
}


@dataclass
class Score:
    """The verdicts for one module's mutants."""

    killed: int = 0
    survived: int = 0
    no_tests: int = 0
    timeout: int = 0
    other: int = 0
    excluded: int = 0

    @property
    def counted(self) -> int:
        return self.killed + self.survived + self.no_tests + self.timeout + self.other

    @property
    def detected(self) -> int:
        # A mutant that makes the tests hang was caught too: the run would never finish.
        return self.killed + self.timeout

    @property
    def percent(self) -> float | None:
        return 100.0 * self.detected / self.counted if self.counted else None


def excluded_reason(mutant: str) -> str | None:
    function = mutant.rsplit("__mutmut_", 1)[0]
    return IMPORT_TIME_ONLY.get(function)


def module_names() -> list[str]:
    return sorted(path.stem for path in CORE.glob("*.py"))


def scores(modules: list[str]) -> tuple[dict[str, Score], list[str]]:
    """Per-module scores from mutmut's .meta files, and the names of the surviving mutants."""
    table: dict[str, Score] = {}
    survivors: list[str] = []
    for module in modules:
        score = table.setdefault(module, Score())
        meta = MUTANTS / "src" / "quell" / "core" / f"{module}.py.meta"
        if not meta.exists():
            continue
        verdicts: dict[str, int | None] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        for mutant, code in sorted(verdicts.items()):
            if excluded_reason(mutant) is not None:
                score.excluded += 1
            elif code in KILLED_CODES or code in TYPE_CHECK_CODES:
                score.killed += 1
            elif code in SURVIVED_CODES:
                score.survived += 1
                survivors.append(mutant)
            elif code in NO_TESTS_CODES:
                score.no_tests += 1
                survivors.append(f"{mutant} (no test reaches it)")
            elif code in TIMEOUT_CODES:
                score.timeout += 1
            elif code in SKIPPED_CODES:
                score.excluded += 1
            else:
                score.other += 1
                survivors.append(f"{mutant} (exit code {code})")
    return table, survivors


def print_table(table: dict[str, Score]) -> None:
    header = (f"{'module':<14}{'killed':>8}{'timeout':>9}{'survived':>10}{'no test':>9}"
              f"{'other':>7}{'total':>7}{'excl.':>7}{'score':>9}")
    print(header)
    print("-" * len(header))
    total = Score()
    for module, score in table.items():
        percent = score.percent
        shown = "—" if percent is None else f"{percent:.1f} %"
        flag = "" if percent is None or percent >= THRESHOLD else "  < 90 %"
        print(f"{module:<14}{score.killed:>8}{score.timeout:>9}{score.survived:>10}"
              f"{score.no_tests:>9}{score.other:>7}{score.counted:>7}{score.excluded:>7}"
              f"{shown:>9}{flag}")
        for name in ("killed", "survived", "no_tests", "timeout", "other", "excluded"):
            setattr(total, name, getattr(total, name) + getattr(score, name))
    print("-" * len(header))
    overall = total.percent
    print(f"{'all':<14}{total.killed:>8}{total.timeout:>9}{total.survived:>10}"
          f"{total.no_tests:>9}{total.other:>7}{total.counted:>7}{total.excluded:>7}"
          f"{'—' if overall is None else f'{overall:.1f} %':>9}")


def toml_value(value: Any) -> str:
    """One value of the generated pyproject.toml (strings, numbers, booleans and lists of them:
    all our [tool.pytest.ini_options] and [tool.mutmut] hold)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r} in pyproject.toml's pytest or mutmut options")


def work_tree_pyproject(pyproject: str) -> str:
    """The work tree's pyproject.toml: the repository's pytest options and [tool.mutmut]."""
    tool = load_toml(pyproject)["tool"]
    lines = ["# Generated by tools/mutation.py from ../../pyproject.toml: edit that one.", ""]
    for table in ("pytest.ini_options", "mutmut"):
        lines.append(f"[tool.{table}]")
        section = tool
        for part in table.split("."):
            section = section[part]
        lines += [f"{key} = {toml_value(value)}" for key, value in section.items()]
        lines.append("")
    return "\n".join(lines)


def stage_work_tree() -> None:
    """build/mutation/ with src, desktop and tests linked to the repository's, and the
    generated pyproject.toml (rewritten every run, so an edit of ours is always seen)."""
    WORK.mkdir(parents=True, exist_ok=True)
    for name, target in LINKS.items():
        link = WORK / name
        if link.is_symlink() and link.resolve() == target:
            continue
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.exists():
            shutil.rmtree(link)
        link.symlink_to(os.path.relpath(target, WORK), target_is_directory=True)
    text = work_tree_pyproject((ROOT / "pyproject.toml").read_text("utf-8"))
    (WORK / "pyproject.toml").write_text(text, "utf-8")


def run_mutmut(mutmut: Path, modules: list[str]) -> int:
    jobs = os.environ.get("MUTATION_JOBS", "2")
    if not modules:
        shutil.rmtree(MUTANTS, ignore_errors=True)
    stage_work_tree()
    patterns = [f"quell.core.{name}.*" for name in modules]
    # mutmut forks workers from a process that has imported the tests: no Qt window is opened
    # (tests/core is Qt-free), but keep Qt offscreen should any plugin look for a display.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(mutmut), "run", "--max-children", jobs, *patterns],
                          cwd=WORK, env=env, check=False).returncode


def main(argv: list[str]) -> int:
    known = module_names()
    report_only = "--report" in argv
    wanted = [name.removesuffix(".py") for name in argv if name != "--report"]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        print(f"not a module of desktop/quell/core: {', '.join(unknown)}", file=sys.stderr)
        return 2
    mutmut = Path(sys.executable).with_name("mutmut")
    if not mutmut.exists():
        print("mutmut is not installed in this venv: run `make venv` (it is in the dev extra)",
              file=sys.stderr)
        return 2
    if not report_only:
        code = run_mutmut(mutmut, wanted)
        if code != 0:
            print(f"mutmut run failed (exit code {code})", file=sys.stderr)
            return 1
    table, survivors = scores(wanted or known)
    print()
    if survivors:
        print(f"{len(survivors)} mutants not killed "
              "(`cd build/mutation && ../../.venv/bin/mutmut show NAME` shows one):")
        for name in survivors:
            print(f"  {name}")
        print()
    print_table(table)
    below = [module for module, score in table.items()
             if score.percent is not None and score.percent < THRESHOLD]
    if below:
        print(f"\nunder {THRESHOLD:.0f} % killed: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
