"""Publishing many records: one job per record, run in worker processes, never all-or-nothing.

A job is everything one record needs (source, formats, output paths, options) and is
planned in the parent, so that a usage mistake (two records writing the same file, an output
over an input) is refused before any work starts. `publish_job` runs a job and turns every
failure into a one-line reason on its `Outcome`; `run_jobs` runs the jobs in processes
(the work is CPU-bound Python plus pandoc and typst children, so threads would serialise on
the GIL) and hands each outcome to a callback as it arrives, so the caller can show progress.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from publisher.api import publish
from publisher.errors import PublishError, UsageError
from publisher.model import Message
from publisher.pipeline import BuildOptions
from publisher.render import RenderOptions
from publisher.render.outputs import output_path, write_output

if TYPE_CHECKING:
    from concurrent.futures import Future

STDIN = "-"
STDOUT = "-"


@dataclass(frozen=True)
class Job:
    source: str  # a path as the user gave it, or "-" for standard input
    formats: tuple[str, ...]
    targets: dict[str, Path]  # format -> file; empty when the output goes to standard output
    build: BuildOptions = BuildOptions()
    render: RenderOptions = RenderOptions()
    data: bytes | None = None  # the record itself, when it came on standard input

    @property
    def label(self) -> str:
        return "<stdin>" if self.source == STDIN else self.source


@dataclass
class Outcome:
    label: str
    written: list[Path] = field(default_factory=list)
    report: list[Message] = field(default_factory=list)
    error: str | None = None  # one line, naming the file
    usage: bool = False  # the error is the command's fault, not the record's
    stdout: bytes | None = None  # the output, when it goes to standard output

    @property
    def warnings(self) -> int:
        return sum(1 for m in self.report if m.severity in ("warning", "error"))


def default_jobs() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_jobs(sources: Sequence[str], formats: Sequence[str], outdir: str | None, build: BuildOptions,
              render: RenderOptions, stdin: Callable[[], bytes]) -> list[Job]:
    """One job per distinct source; raises UsageError for a command that cannot be carried out."""
    unique = list(dict.fromkeys(sources))  # the same file named twice is published once
    if outdir == STDOUT and (len(unique) != 1 or len(formats) != 1 or formats[0] == "sphinx"):
        raise UsageError("-o - writes one file format of one record to standard output", "-o")
    claimed: dict[Path, str] = {}
    jobs = []
    for source in unique:
        targets = {} if outdir == STDOUT else {fmt: output_path(source, fmt, outdir) for fmt in formats}
        for target in targets.values():
            key = target.resolve()
            if key in claimed:
                raise UsageError(f"{claimed[key]} and {source} would both write {target}; "
                                 "publish them to different -o folders", source)
            claimed[key] = source
        data = stdin() if source == STDIN else None
        jobs.append(Job(source, tuple(formats), targets, build, render, data))
    return jobs


def publish_job(job: Job) -> Outcome:
    """Publish one record and write its files. Never raises: a failure is the outcome's error."""
    outcome = Outcome(job.label)
    source: bytes | Path = job.data if job.data is not None else Path(job.source)
    try:
        result = publish(source, list(job.formats), name=job.label, build=job.build, render_options=job.render)
        outcome.report = result.report
        if not job.targets:
            data = result.outputs[job.formats[0]]
            outcome.stdout = data if isinstance(data, bytes) else None
        for fmt, data in result.outputs.items():
            if job.targets:
                write_output(job.targets[fmt], data)
                outcome.written.append(job.targets[fmt])
    except PublishError as exc:
        outcome.error, outcome.usage = str(exc), isinstance(exc, UsageError)
    except OSError as exc:  # writing the output: disk full, folder not writable
        where = exc.filename or (outcome.written[-1].parent if outcome.written else "output")
        outcome.error = f"{job.label}: cannot write {where} ({exc.strerror or exc})"
    except Exception as exc:  # a bug in one record's conversion must not stop the batch
        reason = (str(exc).splitlines() or [""])[0][:200]
        outcome.error = f"{job.label}: internal error, please report it: {type(exc).__name__}: {reason}"
    return outcome


def run_jobs(jobs: Sequence[Job], workers: int, on_done: Callable[[Outcome], None]) -> list[Outcome]:
    """Run every job (in this process when workers is 1); outcomes come back in job order."""
    if workers <= 1 or len(jobs) <= 1:
        outcomes = []
        for job in jobs:
            outcomes.append(publish_job(job))
            on_done(outcomes[-1])
        return outcomes
    # imported here: concurrent.futures pulls in multiprocessing and logging, which a
    # one-record run (the common case, and the one whose start-up a user feels) never needs
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    results: dict[int, Outcome] = {}
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        # largest records first, so that a big one does not start last and hold up the end
        order = sorted(range(len(jobs)), key=lambda i: -_size(jobs[i]))
        pending: dict[Future[Outcome], int] = {pool.submit(publish_job, jobs[i]): i for i in order}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    results[index] = _outcome_of(future, jobs[index])
                    on_done(results[index])
        except BaseException:  # Ctrl-C: do not start records that have not begun
            for future in pending:
                future.cancel()
            raise
    return [results[i] for i in range(len(jobs))]


def _size(job: Job) -> int:
    if job.data is not None:
        return len(job.data)
    try:
        return Path(job.source).stat().st_size
    except OSError:
        return 0  # it will fail in its worker, with the reason


def _outcome_of(future: Future[Outcome], job: Job) -> Outcome:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        # the worker was killed (the system ran out of memory, a signal); its record and any
        # still queued behind it cannot finish in this pool
        return Outcome(job.label, error=f"{job.label}: the worker process died (out of memory?)")
