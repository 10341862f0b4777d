r"""Many small linear support-vector machines at once: the SVM of :func:`~wmlib.analysis.decode_over_time`.

Decoding one network with the full protocol of Masse et al. (2019) means training a linear SVM at every one of 250
time steps in each of 100 resamplings: 25 000 eight-class SVMs, each 28 one-vs-one problems of 50 trials in 100
dimensions.  scikit-learn's ``SVC`` solves each of them well, in about 6 ms per fit on 2 cores, one call at a time.
Here all the problems of a batch are solved by one compiled function.

The problem is the one ``SVC(kernel="linear", C=1)`` solves, one-vs-one: for every pair of classes (a, b), with
:math:`y_t = +1` for the trials of a and :math:`-1` for those of b, the dual

.. math::

   \min_\alpha \tfrac12 \alpha^\top Q \alpha - \mathbf 1^\top \alpha, \qquad
   Q_{ts} = y_t y_s\, x_t \cdot x_s, \qquad 0 \le \alpha_t \le C, \qquad y^\top \alpha = 0,

and the decision :math:`f(x) = \sum_t \alpha_t y_t\, x_t \cdot x - \rho`, positive for a; a test trial goes to the
class with most pairwise votes (the first such class on a tie).  It is solved by the algorithm of LIBSVM (Chang &
Lin 2011), which ``SVC`` runs: sequential minimal optimisation with second-order working-set selection (Fan, Chen &
Lin 2005), stopped when the maximal violation of the optimality conditions falls below ``tol`` = 1e-3, without
shrinking, with the kernel matrix held in single precision as LIBSVM holds it, and :math:`\rho` from the free support
vectors.  The solutions are those of ``SVC`` up to rounding, so the decoded accuracies agree with it (the tests check
the agreement on the shipped networks); the speed comes from solving everything in one compiled loop,
the kernel matrices from one batched matrix product, and the resamplings shared between threads (the compiled
functions release the GIL).

A linear SVM is a weight vector and a bias per pair: :func:`fit_ovo` returns them, so that the same classifiers can
also be tested at other time steps.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["C", "TOL", "gather_scaled", "fit_ovo", "predict_ovo", "class_pairs"]

#: Penalty of the soft margin (``SVC``'s default, the value of the paper's decoder).
C = 1.0
#: Stopping tolerance on the maximal violating pair (``SVC``'s default).
TOL = 1e-3
_TAU = 1e-12  # LIBSVM's floor for a non-positive curvature


def class_pairs(n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """The one-vs-one pairs (a, b), a < b, in LIBSVM's order: (0, 1), (0, 2), ..., (n-2, n-1)."""
    a, b = np.triu_indices(n_classes, 1)
    return a.astype(np.int64), b.astype(np.int64)


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _smo(Q, QD, n_pos, c, tol, alpha, G):
    """Solve one two-class dual in place (``alpha``, gradient ``G``); the first ``n_pos`` rows have y = +1.

    Returns rho.  The order of the loops and the ties (the last index wins) are LIBSVM's.
    """
    m = alpha.shape[0]
    # i: the index of I_up with the largest -y G
    g_max = -np.inf
    i = -1
    for t in range(n_pos):
        v = -G[t] if alpha[t] < c else -np.inf
        if v >= g_max:
            g_max = v
            i = t
    for t in range(n_pos, m):
        v = G[t] if alpha[t] > 0 else -np.inf
        if v >= g_max:
            g_max = v
            i = t
    while i != -1:
        # j: the index of I_low that decreases the objective most (second-order selection)
        q_i = Q[i]
        y_i = 1.0 if i < n_pos else -1.0
        g_max2 = -np.inf
        j = -1
        best_num = 0.0
        best_den = 1.0
        for t in range(m):
            if t < n_pos:
                if not alpha[t] > 0:
                    continue
                g = G[t]
                curv = QD[i] + QD[t] - 2.0 * y_i * q_i[t]
            else:
                if not alpha[t] < c:
                    continue
                g = -G[t]
                curv = QD[i] + QD[t] + 2.0 * y_i * q_i[t]
            if g >= g_max2:
                g_max2 = g
            diff = g_max + g
            if diff > 0:
                # the objective decreases by diff^2 / curv: keep the largest decrease (the last on a tie), compared
                # without dividing (num / den >= best_num / best_den, both denominators positive)
                num = diff * diff
                den = curv if curv > 0 else _TAU
                if num * best_den >= best_num * den:
                    best_num = num
                    best_den = den
                    j = t
        if g_max + g_max2 < tol or j == -1:
            break
        # the analytic two-variable step, clipped to the box
        old_i = alpha[i]
        old_j = alpha[j]
        if (i < n_pos) != (j < n_pos):
            curv = QD[i] + QD[j] + 2.0 * q_i[j]
            delta = (-G[i] - G[j]) / (curv if curv > 0 else _TAU)
            diff = old_i - old_j
            new_i = old_i + delta
            new_j = old_j + delta
            if diff > 0:
                if new_j < 0:
                    new_j = 0.0
                    new_i = diff
            elif new_i < 0:
                new_i = 0.0
                new_j = -diff
            if diff > 0:
                if new_i > c:
                    new_i = c
                    new_j = c - diff
            elif new_j > c:
                new_j = c
                new_i = c + diff
        else:
            curv = QD[i] + QD[j] - 2.0 * q_i[j]
            delta = (G[i] - G[j]) / (curv if curv > 0 else _TAU)
            total = old_i + old_j
            new_i = old_i - delta
            new_j = old_j + delta
            if total > c:
                if new_i > c:
                    new_i = c
                    new_j = total - c
            elif new_j < 0:
                new_j = 0.0
                new_i = total
            if total > c:
                if new_j > c:
                    new_j = c
                    new_i = total - c
            elif new_i < 0:
                new_i = 0.0
                new_j = total
        alpha[i] = new_i
        alpha[j] = new_j
        d_i = new_i - old_i
        d_j = new_j - old_j
        q_j = Q[j]
        # update the gradient and select the next i in the same pass
        g_max = -np.inf
        i = -1
        for t in range(n_pos):
            g = G[t] + q_i[t] * d_i + q_j[t] * d_j
            G[t] = g
            v = -g if alpha[t] < c else -np.inf
            if v >= g_max:
                g_max = v
                i = t
        for t in range(n_pos, m):
            g = G[t] + q_i[t] * d_i + q_j[t] * d_j
            G[t] = g
            v = g if alpha[t] > 0 else -np.inf
            if v >= g_max:
                g_max = v
                i = t
    # rho: the mean of y G over the free support vectors, else the middle of the feasible interval
    upper = np.inf
    lower = -np.inf
    n_free = 0
    sum_free = 0.0
    for t in range(m):
        y = 1.0 if t < n_pos else -1.0
        yg = y * G[t]
        if alpha[t] >= c:
            if y < 0:
                upper = min(upper, yg)
            else:
                lower = max(lower, yg)
        elif alpha[t] <= 0:
            if y > 0:
                upper = min(upper, yg)
            else:
                lower = max(lower, yg)
        else:
            n_free += 1
            sum_free += yg
    return sum_free / n_free if n_free > 0 else (upper + lower) / 2


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _fit_all(x, K32, diag, pair_a, pair_b, per_class, c, tol, w, rho):
    """Solve every pair of every problem: weights ``w[p, q]`` (sum of alpha y x over the pair's rows), ``rho[p, q]``."""
    n_problems = K32.shape[0]
    n_features = x.shape[2]
    n_pairs = pair_a.shape[0]
    pc = per_class
    m = 2 * pc
    for job in range(n_problems * n_pairs):
        p = job // n_pairs
        q = job - p * n_pairs
        a = pair_a[q] * pc
        b = pair_b[q] * pc
        Q = np.empty((m, m), np.float32)
        QD = np.empty(m)
        for t in range(pc):
            QD[t] = diag[p, a + t]
            QD[pc + t] = diag[p, b + t]
            for s in range(pc):
                Q[t, s] = K32[p, a + t, a + s]
                Q[t, pc + s] = -K32[p, a + t, b + s]
                Q[pc + t, s] = -K32[p, b + t, a + s]
                Q[pc + t, pc + s] = K32[p, b + t, b + s]
        alpha = np.zeros(m)
        G = -np.ones(m)
        rho[p, q] = _smo(Q, QD, pc, c, tol, alpha, G)
        for f in range(n_features):
            w[p, q, f] = 0.0
        for t in range(m):
            if alpha[t] > 0:  # a support vector
                coef = alpha[t] if t < pc else -alpha[t]
                row = a + t if t < pc else b + t - pc
                for f in range(n_features):
                    w[p, q, f] += coef * x[p, row, f]


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _gather(features, train_idx, test_idx, normalize, x_train, x_test):
    """``x_train[s] = features[s, train_idx]`` and the same for the test rows, min-max scaled with the training
    rows' range of every feature (a constant feature is only shifted) when ``normalize``."""
    n_features = features.shape[2]
    for s in range(features.shape[0]):
        lo = np.zeros(n_features)
        scale = np.ones(n_features)
        if normalize:
            hi = np.empty(n_features)
            for f in range(n_features):
                lo[f] = hi[f] = features[s, train_idx[0], f]
            for r in range(1, train_idx.shape[0]):
                for f in range(n_features):
                    v = features[s, train_idx[r], f]
                    lo[f] = min(lo[f], v)
                    hi[f] = max(hi[f], v)
            for f in range(n_features):
                if hi[f] > lo[f]:
                    scale[f] = hi[f] - lo[f]
        for r in range(train_idx.shape[0]):
            for f in range(n_features):
                x_train[s, r, f] = (features[s, train_idx[r], f] - lo[f]) / scale[f]
        for r in range(test_idx.shape[0]):
            for f in range(n_features):
                x_test[s, r, f] = (features[s, test_idx[r], f] - lo[f]) / scale[f]


def gather_scaled(features: np.ndarray, train_idx: np.ndarray, test_idx: np.ndarray,
                  normalize: bool) -> tuple[np.ndarray, np.ndarray]:
    """The training and test rows of every step of ``features`` (S, B, N), min-max scaled with the training range."""
    features = np.ascontiguousarray(features, dtype=np.float64)
    x_train = np.empty((features.shape[0], train_idx.size, features.shape[2]))
    x_test = np.empty((features.shape[0], test_idx.size, features.shape[2]))
    _gather(features, np.ascontiguousarray(train_idx, dtype=np.int64), np.ascontiguousarray(test_idx, dtype=np.int64),
            bool(normalize), x_train, x_test)
    return x_train, x_test


def fit_ovo(x_train: np.ndarray, n_classes: int, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Linear one-vs-one SVMs for a batch of problems whose training rows are grouped by class.

    ``x_train`` has shape (P, n_classes * per_class, N): rows ``k * per_class`` to ``(k + 1) * per_class - 1`` of
    every problem belong to class ``k``.  Returns the weights ``w`` (P, n_pairs, N) and biases ``rho`` (P, n_pairs)
    of the pairs of :func:`class_pairs`: ``x @ w[p, q] - rho[p, q] > 0`` votes for the first class of pair q.
    Inputs are not checked here (the public functions check them).
    """
    x_train = np.ascontiguousarray(x_train, dtype=np.float64)
    kernel = x_train @ x_train.transpose(0, 2, 1)
    diag = np.ascontiguousarray(np.diagonal(kernel, axis1=1, axis2=2))
    kernel32 = kernel.astype(np.float32)
    if not (np.isfinite(kernel32).all() and np.isfinite(diag).all()):
        raise ValueError("The features are too large for a linear SVM (their dot products overflow); scale them "
                         "(normalize=True) or divide them by a constant.")
    pair_a, pair_b = class_pairs(n_classes)
    w = np.empty((x_train.shape[0], pair_a.size, x_train.shape[2]))
    rho = np.empty((x_train.shape[0], pair_a.size))
    _fit_all(x_train, kernel32, diag, pair_a, pair_b, per_class, C, TOL, w, rho)
    return w, rho


def predict_ovo(x: np.ndarray, w: np.ndarray, rho: np.ndarray, n_classes: int) -> np.ndarray:
    """Class index (0 to n_classes - 1) of every row of ``x`` (P, M, N) by one-vs-one voting, LIBSVM's ties."""
    decision = x @ w.transpose(0, 2, 1) - rho[:, None, :]  # (P, M, n_pairs)
    pair_a, pair_b = class_pairs(n_classes)
    first = decision > 0
    eye = np.eye(n_classes)
    votes = first @ eye[pair_a] + (~first) @ eye[pair_b]  # (P, M, n_classes)
    return votes.argmax(-1)  # the first class among those with most votes
