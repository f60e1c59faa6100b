"""Uncertainty by moving-block bootstrap of weeks that re-searches the transforms in every draw.

Resampling residuals with the transforms held fixed under-covers badly (the
transform choice is the biggest source of error), so each draw reweights whole
blocks of weeks and reruns the CV search from a random start: the greedy search is path
dependent, and that spread is part of the estimate's uncertainty.

The refits are independent, so they run in a pool of processes where CPUs allow. Every draw's weights and start
are taken from the seeded stream in the parent, in the order the serial loop takes them, so the draws are the
same whichever way (and on however many processes) they are refitted.

The pool is loky's executor (vendored in joblib): its workers are fresh interpreters that do not re-run the
parent's main script. The standard library's "spawn" re-runs it, and under Streamlit that is the app script
(Streamlit issue 8521): every worker would run the whole app and fit again. "fork" would copy a threaded
server's held locks into the child.
"""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
from joblib.externals.loky import ProcessPoolExecutor
from threadpoolctl import threadpool_limits

from core.mmm.search import PointFit, Problem, fit_weighted, to_params
from core.mmm.types import ChannelHyper, FitConfig

# Below this many draws a pool costs more than it saves: each new worker spends ~1.5 s importing numpy,
# scipy and the model before its first refit (~0.15 s each on the default world since the folds are solved
# together). 40 draws there: 5.6 s wall on two workers, 6.2 s serial.
MIN_PARALLEL_DRAWS = 24

# One BLAS thread per refit, in the serial loop and in every worker alike. OpenBLAS's answer depends (in the last
# bits) on its thread count, so the same count everywhere is what makes the draws identical however they are run;
# and on these small matrices a second thread only costs (40 serial refits: 29 s CPU with one, 36 s with two,
# measured before the folds were stacked).
REFIT_BLAS_THREADS = 1

Refit = tuple[np.ndarray, np.ndarray]  # one draw's week weights and the candidate each channel starts from


def block_weights(weeks: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """How often each week appears in one circular moving-block bootstrap sample of `weeks` weeks."""
    n_blocks = int(np.ceil(weeks / block))
    starts = rng.integers(0, weeks, n_blocks)
    idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:weeks] % weeks
    return np.bincount(idx, minlength=weeks).astype(float)


def refit_plan(problem: Problem, config: FitConfig, point: PointFit) -> list[Refit]:
    """Every draw's block weights and start, taken in draw order from one stream seeded by config.seed."""
    rng = np.random.default_rng(config.seed)
    n_ch, n_cand = problem.cands.columns.shape[:2]
    plan = []
    for _ in range(config.n_bootstrap):
        w = block_weights(len(problem.y), config.bootstrap_block, rng)
        start = np.asarray(rng.integers(0, n_cand, n_ch)) if config.bootstrap_random_start else point.sel
        plan.append((w, start))
    return plan


def available_cpus() -> int:
    """CPUs this process may run on: its affinity mask where the OS has one, else the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def refit_workers(config: FitConfig, cpus: int) -> int:
    """Processes for the refits (1 = serial in this process).

    Serial inside a process multiprocessing started (a pool's worker must not start a pool of its own on the
    same cores); else config.workers when set, or by default the CPUs when there are at least
    MIN_PARALLEL_DRAWS draws; never more processes than draws.
    """
    if config.n_bootstrap == 0 or multiprocessing.parent_process() is not None:
        return 1
    if config.workers is not None:
        return min(config.workers, config.n_bootstrap)
    if config.n_bootstrap < MIN_PARALLEL_DRAWS:
        return 1
    return max(1, min(cpus, config.n_bootstrap))


def _limit_blas_threads() -> None:
    """Pool initializer: REFIT_BLAS_THREADS for the worker's whole life (its refits are all it runs)."""
    threadpool_limits(REFIT_BLAS_THREADS)


def _refit_in_pool(problem: Problem, config: FitConfig, shrink: float, plan: list[Refit], workers: int
                   ) -> list[PointFit]:
    """fit_weighted for every planned draw on `workers` processes, results in plan order; all joined on return.

    A refit's exception is re-raised here with its own type (as the serial loop would raise it), after the draws
    not yet started are cancelled and the workers (whose other results are no longer wanted) are stopped.
    """
    with ProcessPoolExecutor(max_workers=workers, initializer=_limit_blas_threads) as pool:
        futures = [pool.submit(fit_weighted, problem, config, w, start, shrink, config.bootstrap_passes)
                   for w, start in plan]
        try:
            return [f.result() for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            pool.shutdown(wait=True, kill_workers=True)
            raise


def bootstrap_draws(problem: Problem, config: FitConfig, point: PointFit, channels: tuple[str, ...]
                    ) -> list[tuple[dict[str, ChannelHyper], dict[str, float]]]:
    """n_bootstrap refits (hyperparameters and betas) on block-resampled weeks; the same for any worker count."""
    plan = refit_plan(problem, config, point)
    workers = refit_workers(config, available_cpus())
    if workers > 1:
        refits = _refit_in_pool(problem, config, point.shrink, plan, workers)
    else:
        with threadpool_limits(REFIT_BLAS_THREADS):  # process-wide (BLAS has no per-thread count) until the loop ends
            refits = [fit_weighted(problem, config, w, start, point.shrink, config.bootstrap_passes)
                      for w, start in plan]
    return [to_params(problem, channels, refit) for refit in refits]
