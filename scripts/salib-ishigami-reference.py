#!/usr/bin/env python3
"""Reference Sobol' indices of the Ishigami function from SALib, on capsim's Saltelli design.

Prints the numbers Tests/CapSimSweepTests/SobolIndicesTests.swift checks against (`salibReference`).
Made with SALib 1.6.0, SciPy 1.17.1, NumPy 2.4.6 in a throw-away virtual environment:

    python3 -m venv /tmp/salib && /tmp/salib/bin/pip install SALib==1.6.0
    /tmp/salib/bin/python scripts/salib-ishigami-reference.py

capsim's `Saltelli(dimension: 3, baseCount: N)` uses points M ..< M + N of the unscrambled
6-dimensional Sobol' sequence, M = the smallest power of two >= max(N, 2): SALib's
`sobol.sample(..., calc_second_order=False, scramble=False, skip_values=M)` gives the same points
(checked below against the Sobol' sequence itself). The function is SALib's own Ishigami
(a = 7, b = 0.1) on [-pi, pi]^3.
"""
import numpy as np
from SALib.analyze import sobol as analyze
from SALib.sample import sobol as sample
from SALib.test_functions import Ishigami
from scipy.stats import qmc

problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
for n in (1 << 10, 1 << 13):
    m = 2
    while m < n:
        m <<= 1
    x = sample.sample(problem, n, calc_second_order=False, scramble=False, skip_values=m)
    base = qmc.Sobol(6, scramble=False)
    base.fast_forward(m)
    a = base.random(n)[:, :3]
    assert np.allclose(x[0::5], -np.pi + 2 * np.pi * a, rtol=0, atol=1e-12)
    y = Ishigami.evaluate(x)
    r = analyze.analyze(problem, y, calc_second_order=False, num_resamples=1000, conf_level=0.95, seed=1)
    print(f"N = {n}, skip_values = {m}")
    for key in ("S1", "S1_conf", "ST", "ST_conf"):
        print(f"  {key:8s}", ", ".join(f"{v:.6f}" for v in r[key]))
