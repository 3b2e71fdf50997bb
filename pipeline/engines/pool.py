"""Worker processes the parent can always take back: it owns their time limits.

concurrent.futures.ProcessPoolExecutor breaks as a whole when one worker dies, and cannot stop
a document that runs too long. Here each worker is a forked process with its own pipe and takes
one document at a time, so the parent always knows which document a worker is on and since
when:

- the worker says READY once its rules and models are loaded, STARTED when it has taken a
  document, then sends the reply (an `Outcome`, a `Document`, or `Failed` when the step code
  raised where it should not);
- a document still running `max_seconds` + GRACE after STARTED is abandoned: its worker is
  killed (SIGKILL also ends a stopped process) and replaced, and the document is given back as
  `Failed("document took over the limit of N s; abandoned")`;
- a worker that dies (kill -9, SIGTERM, the OOM killer, `os._exit`) gives its document back as
  `Failed("worker died (signal 9) while processing this document")` and is replaced;
- a document that never STARTED (its worker died or hung while taking it) is not to blame: it
  is sent again, once.

Workers are independent: one worker's death touches no other worker's document. The parent
never blocks on a worker for long: its ends of the pipes time out after ACK_SECONDS.
"""

from __future__ import annotations

import ctypes
import gc
import math
import multiprocessing
import os
import signal
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.process import Step, check_rules, make_steps, process

#: Seconds a document may run past `max_seconds` before the parent abandons it (the worker's
#: own alarm, at `max_seconds`, usually ends it first with what it found so far).
GRACE = 2.0
#: Seconds a worker may take to take a document, and to load its rules and models.
ACK_SECONDS = 10.0
START_SECONDS = 60.0
READY, STARTED = "ready", "started"

Handle = Callable[[Document, list[tuple[str, Step]], Settings], object]
Finished = list[tuple["Job", object]]  # jobs done in one step, with their replies
_forking = threading.Lock()  # one fork at a time: no worker inherits another's pipe ends


@dataclass
class Job:
    """A document on its way through the pool; `seq` is its place in the input."""

    seq: int
    doc: Document
    tries: int = 0


@dataclass
class Failed:
    """The reply for a document its worker could not finish: why, for its error line."""

    message: str


def document_of(doc: Document, steps: list[tuple[str, Step]], settings: Settings) -> Document:
    """Handle: the processed document itself (the Python API's reply)."""
    return process(doc, steps, max_seconds=settings.max_seconds)


def warm_up(settings: Settings) -> None:
    """Compile the rules and load the models now, then freeze them for the garbage collector:
    they live as long as the process, and a collection per page need not rescan them."""
    from pipeline.steps.segment import segment_text

    check_rules(settings)
    segment_text("Khởi động.").words_in((0, 10))
    import trafilatura  # noqa: F401 - loaded before the freeze like the rest

    gc.freeze()
    steady_heap()


#: glibc's mallopt parameter for the size from which a block gets its own mapping.
M_MMAP_THRESHOLD = -3


def steady_heap(threshold: int = 1 << 17) -> None:
    """Give every block of `threshold` bytes or more its own mapping, returned to the system
    when freed. glibc otherwise raises that size after each large free, and a long run's large
    pages then fragment the heap: 200 pages of 1 MB held 9 MB more at the end than with this.
    A no-op where glibc is not the allocator (forked workers inherit the setting)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, threshold)
    except (OSError, AttributeError):
        pass


def die_with_parent(parent_is_main_thread: bool) -> None:
    """A worker must not outlive its parent (a SIGKILL gives the parent no chance to stop it).
    Linux signals it when the thread that forked it ends, which is the parent's end only for the
    main thread; otherwise, and where that is not available, a thread watches the parent."""
    parent = os.getppid()
    if parent_is_main_thread:
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            if libc.prctl(1, signal.SIGTERM) == 0 and os.getppid() == parent:  # PDEATHSIG
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def serve(conn: Connection, settings: Settings, handle: Handle, main_thread: bool) -> None:
    """The worker process: load everything, say READY, then reply to each document until told
    to stop (None) or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's clean stop: a worker dies
    die_with_parent(main_thread)
    warm_up(settings)
    steps = make_steps(settings)
    conn.send(READY)
    while True:
        try:
            doc = conn.recv()
        except EOFError:
            return
        if doc is None:
            return
        conn.send(STARTED)
        try:
            conn.send(handle(doc, steps, settings))
        except Exception as exc:  # noqa: BLE001 - the document's line says it, the worker goes on
            conn.send(Failed(f"the worker could not finish this document: {exc!r}"))


def _time_out(conn: Connection, seconds: float) -> None:
    """Make the parent's blocking reads and writes on `conn` fail after `seconds` (a worker
    stopped halfway through a message must not hang the parent)."""
    sock = socket.socket(fileno=conn.fileno())
    value = struct.pack("ll", int(seconds), int(seconds % 1 * 1e6))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
    sock.detach()


class Worker:
    """One worker process, the parent's end of its pipe, the job it is on and its deadline."""

    def __init__(self, settings: Settings, handle: Handle) -> None:
        context = multiprocessing.get_context("fork")
        main = threading.current_thread() is threading.main_thread()
        with _forking:
            self.conn, child = context.Pipe()
            self.process = context.Process(
                target=serve, args=(child, settings, handle, main), daemon=True
            )
            self.process.start()
            child.close()
        _time_out(self.conn, ACK_SECONDS)
        self.ready = self.started = False
        self.job: Job | None = None
        self.deadline = time.monotonic() + START_SECONDS

    def send(self, job: Job, ack_seconds: float) -> None:
        """Give the worker a document; it has `ack_seconds` to say it STARTED."""
        self.job, self.started = job, False
        self.deadline = time.monotonic() + ack_seconds
        self.conn.send(job.doc)

    def end(self) -> str:
        """Make sure the process is gone and say how it ended, for its document's line."""
        self.process.join(0.5)  # its pipe can close just before its exit status is known
        code = self.process.exitcode
        self.kill()
        if code is None:
            return "worker stopped answering"
        return f"worker died (signal {-code})" if code < 0 else f"worker exited with code {code}"

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class Pool:
    """`size` workers and the parent's bookkeeping: see the module's docstring."""

    def __init__(self, settings: Settings, size: int, handle: Handle) -> None:
        self.settings, self.handle = settings, handle
        self.workers = [Worker(settings, handle) for _ in range(size)]
        limited = 0 < settings.max_seconds < math.inf
        self.limit = settings.max_seconds + GRACE if limited else math.inf
        self.ack_seconds = ACK_SECONDS
        self.failed_starts = 0

    def step(self, todo: deque[Job]) -> Finished:
        """Send jobs from `todo` to idle workers, wait until a worker replies, dies or passes
        its deadline, and return the jobs finished by then with their replies. Jobs to retry
        go back to the front of `todo`."""
        finished: Finished = []
        self._dispatch(todo, finished)
        deadline = min(w.deadline for w in self.workers)
        timeout = None if math.isinf(deadline) else max(0.0, deadline - time.monotonic())
        watched = [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
        events = set(wait(watched, timeout))
        for worker in list(self.workers):
            due = time.monotonic() >= worker.deadline
            if due or worker.conn in events or worker.process.sentinel in events:
                self._check(worker, todo, finished)
        self._dispatch(todo, finished)  # before the caller writes: keep the workers busy
        return finished

    def _dispatch(self, todo: deque[Job], finished: Finished) -> None:
        """Send the next jobs of `todo` to the idle workers."""
        for worker in list(self.workers):
            if todo and worker.ready and worker.job is None:
                job = todo.popleft()
                try:
                    worker.send(job, self.ack_seconds)
                except OSError:
                    self._lose(worker, todo, finished)

    def _check(self, worker: Worker, todo: deque[Job], finished: Finished) -> None:
        """Read what the worker sent; abandon its job if overdue; replace it if it is gone."""
        try:
            while worker.conn.poll(0):
                self._take(worker, worker.conn.recv(), finished)
            if time.monotonic() >= worker.deadline and worker.started and worker.job:
                message = f"document took over the limit of {self.settings.max_seconds:g} s"
                finished.append((worker.job, Failed(message + "; abandoned")))
                worker.job = None
                self._replace(worker)
            elif time.monotonic() >= worker.deadline or not worker.process.is_alive():
                raise EOFError
        except (EOFError, OSError):
            self._lose(worker, todo, finished)

    def _take(self, worker: Worker, message: object, finished: Finished) -> None:
        """One message from a worker: READY, STARTED (its clock starts) or a reply."""
        if message == READY:
            worker.ready, worker.deadline, self.failed_starts = True, math.inf, 0
        elif message == STARTED:
            worker.started, worker.deadline = True, time.monotonic() + self.limit
        elif worker.job is not None:
            finished.append((worker.job, message))
            worker.job, worker.deadline = None, math.inf

    def _lose(self, worker: Worker, todo: deque[Job], finished: Finished) -> None:
        """The worker died or hung: its started job is to blame, one not started is retried
        once; a worker that never got ready counts toward giving up."""
        job, why = worker.job, worker.end()
        if job is not None and (worker.started or job.tries >= 1):
            finished.append((job, Failed(f"{why} while processing this document")))
        elif job is not None:
            job.tries += 1
            todo.appendleft(job)
        elif not worker.ready:
            self.failed_starts += 1
            if self.failed_starts > 3:
                raise RuntimeError(f"worker processes cannot start ({why}; see above)")
        self._replace(worker)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        self.workers[self.workers.index(worker)] = Worker(self.settings, self.handle)

    def close(self) -> None:
        """Stop the idle workers, kill the busy ones, and wait for all of them."""
        for worker in self.workers:
            try:
                if worker.ready and worker.job is None:
                    worker.conn.send(None)
                else:
                    worker.process.kill()
            except OSError:
                worker.process.kill()
        for worker in self.workers:
            worker.process.join(2.0)
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join()
            worker.conn.close()
