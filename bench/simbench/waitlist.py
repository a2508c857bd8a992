#!/usr/bin/env python3
"""The federal 4-class waitlist (45 CFR 96.131(a)) in SimPy 3, for comparison with dyad's
priority/sim.

It reads the very scenario JSON priority/sim reads (shared/conformance/README.md, "sim") and
supports the subset the benchmark uses: policy "federal", one program, Poisson arrival streams
with a constant rate, stays and an optional dropout drawn from the exponential, fixed, uniform,
lognormal or empirical distributions. Anything else is refused with a message, never ignored.

Model, as priority/sim states it: one bed holds one person for the whole stay; admission is
non-preemptive; the waitlist is ordered by federal tier, then by arrival (first come, first
served). Waiting is admission time minus arrival time. Only people who arrive at or after
warmup_days are counted; the run stops at horizon_days.

It prints one JSON object: per group the mean wait over replications with a 95% confidence
interval (Student t), and the timing: model events (arrivals, departures at the end of a stay,
dropouts) per second spent in env.run, measured here: of wall time (time.perf_counter) and of
the process's CPU time (time.process_time), steadier on a machine shared with other work.

Usage: waitlist.py SCENARIO.json [--replications N] [--horizon-days D]
"""

import argparse
import json
import math
import platform
import random
import statistics
import sys
import time

import simpy

# Two-sided 95% Student t quantiles by degrees of freedom; normal beyond the table.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
       16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042,
       40: 2.021, 60: 2.000, 120: 1.980}


def t95(df):
    if df in T95:
        return T95[df]
    for k in sorted(T95):
        if k >= df:
            return T95[k]
    return 1.960


class Unsupported(Exception):
    pass


def sampler(d, where):
    """A function drawing from the scenario distribution d with a random.Random."""
    if d is None:
        return None
    name = d.get("dist")
    if name == "exponential":
        mean = float(d["mean_days"])
        return lambda rng: rng.expovariate(1.0 / mean)
    if name == "fixed":
        v = float(d["mean_days"])
        return lambda rng: v
    if name == "uniform":
        lo, hi = float(d["min_days"]), float(d["max_days"])
        return lambda rng: rng.uniform(lo, hi)
    if name == "lognormal":
        m, s = float(d["mean_days"]), float(d["sd_days"])
        sigma2 = math.log(1 + (s * s) / (m * m))
        mu, sigma = math.log(m) - sigma2 / 2, math.sqrt(sigma2)
        return lambda rng: rng.lognormvariate(mu, sigma)
    if name == "empirical":
        vals = [float(v) for v in d["values_days"]]
        w = d.get("weights")
        return lambda rng: rng.choices(vals, weights=w)[0]
    raise Unsupported("%s: distribution %r" % (where, name))


def federal_tier(applicant):
    """45 CFR 96.131(a): 1 pregnant women who inject drugs, 2 other pregnant women,
    3 other people who inject drugs, 4 everyone else."""
    pregnant = bool(applicant.get("pregnant"))
    injects = bool(applicant.get("injects_drugs"))
    if pregnant and injects:
        return 1
    if pregnant:
        return 2
    if injects:
        return 3
    return 4


def load(path):
    with open(path) as f:
        sc = json.load(f)
    if sc.get("policy") != "federal":
        raise Unsupported("policy: only \"federal\"")
    progs = sc.get("programs") or []
    if len(progs) != 1:
        raise Unsupported("programs: exactly one")
    if progs[0].get("reserved"):
        raise Unsupported("programs[0].reserved")
    for key in ("interim_delay", "term_days", "start"):
        if key in sc:
            raise Unsupported(key)
    streams = []
    for i, a in enumerate(sc.get("arrivals") or []):
        for key in ("monthly_rate_per_day", "gestational_age_days", "delivered_days_ago",
                    "interim_delay"):
            if key in a:
                raise Unsupported("arrivals[%d].%s" % (i, key))
        rate = float(a["rate_per_day"])
        if rate <= 0:
            raise Unsupported("arrivals[%d].rate_per_day must be positive" % i)
        streams.append({
            "group": a["group"],
            "rate": rate,
            "tier": federal_tier(a.get("applicant") or {}),
            "dropout": sampler(a.get("dropout") or sc.get("dropout"), "arrivals[%d].dropout" % i),
        })
    return sc, streams


def replicate(sc, streams, rep, horizon):
    """One replication; returns (per-group waits, model events, wall and CPU seconds in
    env.run)."""
    env = simpy.Environment()
    prog = sc["programs"][0]
    beds = simpy.PriorityResource(env, capacity=int(prog["beds"]))
    los = sampler(prog["length_of_stay"], "programs[0].length_of_stay")
    warmup = float(sc.get("warmup_days", 0))
    seed = int(sc["seed"])
    stay_rng = random.Random(seed * 1000003 + rep * 7919 + 1)
    waits = {s["group"]: [] for s in streams}
    counts = {"events": 0}

    def person(s, rng):
        arrive = env.now
        req = beds.request(priority=s["tier"])
        if s["dropout"] is not None:
            patience = s["dropout"](rng)
            got = yield req | env.timeout(patience)
            if req not in got:
                req.cancel()
                counts["events"] += 1  # dropout
                return
        else:
            yield req
        if arrive >= warmup:
            waits[s["group"]].append(env.now - arrive)
        yield env.timeout(los(stay_rng))
        beds.release(req)
        counts["events"] += 1  # departure

    def source(k, s):
        rng = random.Random(seed * 1000003 + rep * 7919 + 2 + k)
        while True:
            yield env.timeout(rng.expovariate(s["rate"]))
            counts["events"] += 1  # arrival
            env.process(person(s, rng))

    for k, s in enumerate(streams):
        env.process(source(k, s))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=horizon)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return waits, counts["events"], secs, cpu


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--replications", type=int, default=0, help="override the scenario's")
    ap.add_argument("--horizon-days", type=float, default=0, help="override the scenario's")
    args = ap.parse_args(argv)
    try:
        sc, streams = load(args.scenario)
    except Unsupported as e:
        print("waitlist.py: unsupported scenario: %s" % e, file=sys.stderr)
        return 2
    reps = args.replications or int(sc["replications"])
    horizon = args.horizon_days or float(sc["horizon_days"])
    per_rep = {s["group"]: [] for s in streams}
    admitted = {s["group"]: 0 for s in streams}
    events, secs, cpu = 0, 0.0, 0.0
    for rep in range(reps):
        waits, ev, dt, dc = replicate(sc, streams, rep, horizon)
        events += ev
        secs += dt
        cpu += dc
        for g, w in waits.items():
            admitted[g] += len(w)
            if w:
                per_rep[g].append(sum(w) / len(w))
    groups = {}
    for g, ms in per_rep.items():
        # JSON has no NaN or infinity: null where a figure is undefined.
        mean = statistics.fmean(ms) if ms else None
        hw = t95(len(ms) - 1) * statistics.stdev(ms) / math.sqrt(len(ms)) if len(ms) > 1 else None
        groups[g] = {"mean_wait_days": mean, "ci95_half_width": hw, "replications": len(ms),
                     "admitted": admitted[g]}
    out = {
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "replications": reps,
        "horizon_days": horizon,
        "groups": groups,
        "events": events,
        "seconds": secs,
        "events_per_second": events / secs if secs > 0 else 0,
        "cpu_seconds": cpu,
        "events_per_cpu_second": events / cpu if cpu > 0 else 0,
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
