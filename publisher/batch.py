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

from publisher.api import internal_error, publish
from publisher.errors import PublishError, UsageError
from publisher.formats import FORMATS
from publisher.model import Message
from publisher.pipeline import BuildOptions
from publisher.render import RenderOptions
from publisher.render.outputs import check_target, output_is_file, output_path, write_output

if TYPE_CHECKING:
    from concurrent.futures import Future

STDIN = "-"
STDOUT = "-"
# A format written beside another's file under the record's own name, because that file
# names it (markdown with pandoc citations names its CSL bibliography `<stem>.csl.json`).
COMPANIONS = {"csljson": "md"}


@dataclass(frozen=True)
class Job:
    source: str  # a path as the user gave it, or "-" for standard input
    formats: tuple[str, ...]  # empty: build the document for its report, write nothing
    targets: dict[str, Path]  # format -> file or folder
    build: BuildOptions = BuildOptions()
    render: RenderOptions = RenderOptions()
    data: bytes | None = None  # the record itself, when it came on standard input
    stdout: bool = False  # the one format goes to standard output

    @property
    def label(self) -> str:
        return "<stdin>" if self.source == STDIN else self.source


@dataclass
class Outcome:
    label: str
    written: list[Path] = field(default_factory=list)
    report: list[Message] = field(default_factory=list)
    error: str | None = None  # one line, naming the file: nothing of this record was published
    usage: bool = False  # the error is the command's fault, not the record's
    stdout: bytes | None = None  # the output, when it goes to standard output
    failures: dict[str, str] = field(default_factory=dict)  # format -> one line; the others were written

    @property
    def errors(self) -> list[str]:
        return ([self.error] if self.error else []) + list(self.failures.values())

    @property
    def failed_formats(self) -> list[str]:
        return list(self.failures)

    @property
    def warnings(self) -> int:
        return sum(1 for m in self.report if m.severity in ("warning", "error"))


def default_jobs() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_jobs(sources: Sequence[str], formats: Sequence[str], output: str | None, build: BuildOptions,
              render: RenderOptions, stdin: Callable[[], bytes]) -> list[Job]:
    """One job per distinct source; raises UsageError for a command that cannot be carried out.

    `output`: None (beside each input), a folder, a file (one record, one format) or "-".
    """
    unique = list(dict.fromkeys(sources))  # the same file named twice is published once
    to_stdout = output == STDOUT
    if to_stdout and (len(unique) != 1 or len(formats) != 1 or not FORMATS[formats[0]].extension):
        raise UsageError("-o - writes one file format of one record to standard output", "-o")
    to_file = output is not None and output_is_file(output)
    named = [f for f in formats if COMPANIONS.get(f) not in formats]  # the formats -o FILE must name
    if to_file and len(unique) != 1:
        raise UsageError(f"{output} is one file, for one record; give a folder for several: -o DIR/", "-o")
    if to_file and (len(named) != 1 or not FORMATS[named[0]].extension):
        raise UsageError(f"{output} is one file, for one format; give a folder for "
                         f"{' and '.join(named) or 'no format'}: -o DIR/", "-o")
    claimed: dict[Path, str] = {}
    jobs = []
    for source in unique:
        if to_stdout:
            targets = {}
        elif to_file:
            assert output is not None
            targets = {fmt: output_path(source, fmt, str(Path(output).parent)) for fmt in formats if fmt not in named}
            targets[named[0]] = Path(output)
            check_target(targets[named[0]], named[0], source)
        else:
            targets = {fmt: output_path(source, fmt, output) for fmt in formats}
        for target in targets.values():
            key = target.resolve()
            if key in claimed:
                raise UsageError(f"{claimed[key]} and {source} would both write {target}; "
                                 "publish them to different -o folders", source)
            claimed[key] = source
        data = stdin() if source == STDIN else None
        jobs.append(Job(source, tuple(formats), targets, build, render, data, to_stdout))
    return jobs


def publish_job(job: Job) -> Outcome:
    """Publish one record and write its files. Never raises: a failure is the outcome's error.

    A format that fails does not stop the others: they are written, it is named."""
    outcome = Outcome(job.label)
    source: bytes | Path = job.data if job.data is not None else Path(job.source)
    protect = [] if job.data is not None else [Path(job.source)]
    try:
        result = publish(source, list(job.formats), name=job.label, build=job.build, render_options=job.render,
                         keep_going=True)
        outcome.report = result.report
        outcome.failures = {fmt: f"{job.label}: {fmt}: {exc.reason}" for fmt, exc in result.failures.items()}
        for fmt, data in result.outputs.items():
            if job.stdout:
                outcome.stdout = data if isinstance(data, bytes) else None
            else:
                write_output(job.targets[fmt], data, protect)
                outcome.written.append(job.targets[fmt])
    except PublishError as exc:
        outcome.error, outcome.usage = str(exc), isinstance(exc, UsageError)
    except OSError as exc:  # writing the output: disk full, folder not writable
        where = exc.filename or (outcome.written[-1].parent if outcome.written else "output")
        outcome.error = f"{job.label}: cannot write {where} ({exc.strerror or exc})"
    except Exception as exc:  # a bug in one record's conversion must not stop the batch
        outcome.error = f"{job.label}: {internal_error(exc)}"
    if outcome.error:
        outcome.failures = {}
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
