"""SIGTERM (what ``timeout``, ``kill`` and SLURM send) stops a run the way Ctrl+C does.

During ``Trainer.fit``/``predict`` Lightning installs its own SIGTERM handler, which only sets a
flag (``trainer.received_sigterm``): a terminated run went on and published its results. While a
:class:`SigtermStops` is active, SIGTERM raises :class:`Terminated` in the main thread instead.
Lightning calls the handler it found (this one) after its own and re-raises the exception after
its teardown, so the run unwinds like any failure: nothing published, its version folder removed,
the lock released. Publishing and cleaning up, once begun, finish first (:attr:`SigtermStops.holding`);
a SIGTERM that arrives then is raised when they are done (:meth:`SigtermStops.close`).
"""
from __future__ import annotations

import signal
import threading

EXIT_CODE = 128 + signal.SIGTERM  # what a shell reports for a process ended by SIGTERM


class Terminated(BaseException):
    """The process received SIGTERM. A ``BaseException``, like ``KeyboardInterrupt``, so that an
    ``except Exception`` in library code cannot swallow it."""


class SigtermStops:
    """Make SIGTERM raise :class:`Terminated` from :meth:`start` to :meth:`close` (main thread only;
    elsewhere, e.g. in a DDP rank, a notebook's worker thread, it does nothing).

    Attributes
    ----------
    holding : bool
        While True, a SIGTERM is remembered instead of raised (set it around work that must finish).
    """

    def __init__(self) -> None:
        self.holding = False
        self._previous = None
        self._active = self._pending = self._raised = False

    def start(self) -> "SigtermStops":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._handle)
            self._active = True
        return self

    def _handle(self, signum, frame) -> None:
        if self._raised:  # a second SIGTERM while the first unwinds: let the cleanup finish
            return
        if self.holding:
            self._pending = True
            return
        self._raised = True
        raise Terminated("stopped by SIGTERM: nothing was published (the folder's earlier results are unchanged)")

    def close(self, published: bool = False) -> None:
        """Restore the handler found at :meth:`start`; raise :class:`Terminated` if a SIGTERM arrived
        while :attr:`holding` (``published``: whether the work held was a successful publish)."""
        if self._active:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if self._previous is None else self._previous)
            self._active = False
        if self._pending and not self._raised:
            self._raised = True
            raise Terminated("stopped by SIGTERM, which arrived while the run's results were being published: they "
                             "are published" if published else
                             "stopped by SIGTERM: nothing was published (the folder's earlier results are unchanged)")
