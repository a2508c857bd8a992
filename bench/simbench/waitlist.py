#!/usr/bin/env python3
"""The federal 4-class waitlist (45 CFR 96.131(a)) in Python, three ways, for comparison with
dyad's priority/sim.

It reads the very scenario JSON priority/sim reads (priority/sim/testdata/conformance/README.md) and
supports the subset the benchmark uses: policy "federal", one program, Poisson arrival streams
with a constant rate, stays and an optional dropout drawn from the exponential, fixed, uniform,
lognormal or empirical distributions. Anything else is refused with a message, never ignored.

Model, as priority/sim states it: one bed holds one person for the whole stay; admission is
non-preemptive; the waitlist is ordered by federal tier, then by arrival (first come, first
served). Waiting is admission time minus arrival time. Only people who arrive at or after
warmup_days are counted; the run stops at horizon_days.

--model chooses how the same model is written:

  textbook  SimPy as its documentation teaches: a process per person asking a
            simpy.PriorityResource for a bed (the default);
  lean      SimPy's clock and event queue only: one process per arrival stream, a stay is a
            bare timeout whose callback frees the bed, and the waitlist is the model's own
            per-tier FIFO queues;
  heapq     no SimPy at all: a plain event loop over a heapq of (time, sequence, ...) tuples
            with the same per-tier queues, the fastest Python a researcher would write.

The three draw the same random numbers in the same order (each stream's interarrival times,
then its patience; the stays from their own stream, in admission order), so on a scenario with
continuous distributions they give the identical answer, to the last bit; the tests check it.

It prints one JSON object: per group the mean wait over replications with a 95% confidence
interval (Student t), and the timing: model events (arrivals, departures at the end of a stay,
dropouts) per second spent running the model (env.run, or the heapq loop), measured here: of
wall time (time.perf_counter) and of the process's CPU time (time.process_time), steadier on a
machine shared with other work.

Usage: waitlist.py SCENARIO.json [--model textbook|lean|heapq] [--replications N]
                   [--horizon-days D]
"""

import argparse
import collections
import functools
import heapq
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
    """For the scenario distribution d, a function that binds it to a random.Random: given
    the generator, it returns a function of no argument drawing the next value. All three
    models draw through these, so they differ only in how the model is written."""
    if d is None:
        return None
    name = d.get("dist")
    if name == "exponential":
        rate = 1.0 / float(d["mean_days"])
        return lambda rng: functools.partial(rng.expovariate, rate)
    if name == "fixed":
        v = float(d["mean_days"])
        return lambda rng: lambda: v
    if name == "uniform":
        lo, hi = float(d["min_days"]), float(d["max_days"])
        return lambda rng: functools.partial(rng.uniform, lo, hi)
    if name == "lognormal":
        m, s = float(d["mean_days"]), float(d["sd_days"])
        sigma2 = math.log(1 + (s * s) / (m * m))
        mu, sigma = math.log(m) - sigma2 / 2, math.sqrt(sigma2)
        return lambda rng: functools.partial(rng.lognormvariate, mu, sigma)
    if name == "empirical":
        vals = [float(v) for v in d["values_days"]]
        w = d.get("weights")
        return lambda rng: lambda: rng.choices(vals, weights=w)[0]
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


def rngs(sc, streams, rep):
    """The random streams of one replication: the stays' (drawn in admission order) and one
    per arrival stream (its interarrival times and its people's patience)."""
    seed = int(sc["seed"])
    stay_rng = random.Random(seed * 1000003 + rep * 7919 + 1)
    return stay_rng, [random.Random(seed * 1000003 + rep * 7919 + 2 + k) for k in range(len(streams))]


def replicate_textbook(sc, streams, rep, horizon):
    """One replication, SimPy as its documentation teaches; returns (per-group waits, model
    events, wall and CPU seconds in env.run)."""
    env = simpy.Environment()
    prog = sc["programs"][0]
    beds = simpy.PriorityResource(env, capacity=int(prog["beds"]))
    warmup = float(sc.get("warmup_days", 0))
    stay_rng, stream_rngs = rngs(sc, streams, rep)
    stay = sampler(prog["length_of_stay"], "programs[0].length_of_stay")(stay_rng)
    waits = {s["group"]: [] for s in streams}
    counts = {"events": 0}

    def person(s, patience):
        arrive = env.now
        req = beds.request(priority=s["tier"])
        if patience is not None:
            got = yield req | env.timeout(patience())
            if req not in got:
                req.cancel()
                counts["events"] += 1  # dropout
                return
        else:
            yield req
        if arrive >= warmup:
            waits[s["group"]].append(env.now - arrive)
        yield env.timeout(stay())
        beds.release(req)
        counts["events"] += 1  # departure

    def source(k, s):
        rng = stream_rngs[k]
        patience = s["dropout"](rng) if s["dropout"] is not None else None
        while True:
            yield env.timeout(rng.expovariate(s["rate"]))
            counts["events"] += 1  # arrival
            env.process(person(s, patience))

    for k, s in enumerate(streams):
        env.process(source(k, s))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=horizon)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return waits, counts["events"], secs, cpu


def replicate_lean(sc, streams, rep, horizon):
    """One replication on SimPy's clock with the model's own per-tier queues: one process per
    arrival stream; a stay is a bare timeout whose callback frees the bed or admits the first
    person waiting; a dropout is a timeout whose callback takes a person still waiting off
    the list (lazily: the queues skip people who left). Same answer as replicate_textbook."""
    env = simpy.Environment()
    prog = sc["programs"][0]
    warmup = float(sc.get("warmup_days", 0))
    stay_rng, stream_rngs = rngs(sc, streams, rep)
    stay = sampler(prog["length_of_stay"], "programs[0].length_of_stay")(stay_rng)
    waits = {s["group"]: [] for s in streams}
    queues = [collections.deque() for _ in range(4)]  # federal tiers 1..4, FIFO each
    free, events = int(prog["beds"]), 0
    timeout = env.timeout

    def depart(_event):
        nonlocal free, events
        events += 1  # departure
        for q in queues:
            while q:
                p = q.popleft()
                if p[2]:  # still waiting
                    p[2] = False
                    if p[0] >= warmup:
                        p[1].append(env.now - p[0])
                    timeout(stay()).callbacks.append(depart)
                    return
        free += 1

    def leave(p):
        nonlocal events
        if p[2]:  # still waiting
            p[2] = False
            events += 1  # dropout

    def source(k, s):
        nonlocal free, events
        rng = stream_rngs[k]
        interarrival = functools.partial(rng.expovariate, s["rate"])
        patience = s["dropout"](rng) if s["dropout"] is not None else None
        q, wl = queues[s["tier"] - 1], waits[s["group"]]
        # The textbook source draws the next interarrival time before the person it just
        # started draws its patience: the same order here keeps the same numbers.
        dt = interarrival()
        while True:
            yield timeout(dt)
            events += 1  # arrival
            dt = interarrival()
            now = env.now
            p = patience() if patience is not None else None
            if free:
                free -= 1
                if now >= warmup:
                    wl.append(0.0)
                timeout(stay()).callbacks.append(depart)
                continue
            person = [now, wl, True]
            q.append(person)
            if p is not None:
                timeout(p).callbacks.append(lambda _e, person=person: leave(person))

    for k, s in enumerate(streams):
        env.process(source(k, s))
    t0, c0 = time.perf_counter(), time.process_time()
    env.run(until=horizon)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return waits, events, secs, cpu


def replicate_heapq(sc, streams, rep, horizon):
    """One replication as a plain event loop: a heapq of (time, sequence, what) tuples, the
    sequence breaking ties in scheduling order as SimPy's event queue does, and the model's
    own per-tier queues. Same answer as replicate_textbook. Without dropout (the benchmark's
    scenario) the loop is the tightest: what is a stream's index for an arrival, -1 for the
    end of a stay, and the queues hold (arrival time, group's waits) tuples."""
    if any(s["dropout"] is not None for s in streams):
        return replicate_heapq_dropout(sc, streams, rep, horizon)
    prog = sc["programs"][0]
    warmup = float(sc.get("warmup_days", 0))
    stay_rng, stream_rngs = rngs(sc, streams, rep)
    stay = sampler(prog["length_of_stay"], "programs[0].length_of_stay")(stay_rng)
    waits = {s["group"]: [] for s in streams}
    queues = [collections.deque() for _ in range(4)]  # federal tiers 1..4, FIFO each
    # Per stream: its interarrival draw, its tier's queue, its group's waits.
    src = [(functools.partial(stream_rngs[k].expovariate, s["rate"]), queues[s["tier"] - 1],
            waits[s["group"]]) for k, s in enumerate(streams)]
    heap = [(interarrival(), k, k) for k, (interarrival, _, _) in enumerate(src)]
    heapq.heapify(heap)
    push, pop = heapq.heappush, heapq.heappop
    seq = len(heap)
    free, events = int(prog["beds"]), 0
    t0, c0 = time.perf_counter(), time.process_time()
    while heap:
        now, _, what = pop(heap)
        if now >= horizon:
            break
        events += 1
        if what < 0:  # end of a stay: admit the first in the highest tier, or free the bed
            for q in queues:
                if q:
                    arrive, wl = q.popleft()
                    if arrive >= warmup:
                        wl.append(now - arrive)
                    push(heap, (now + stay(), seq, -1))
                    seq += 1
                    break
            else:
                free += 1
        else:  # an arrival of stream what
            interarrival, q, wl = src[what]
            push(heap, (now + interarrival(), seq, what))
            seq += 1
            if free:
                free -= 1
                if now >= warmup:
                    wl.append(0.0)
                push(heap, (now + stay(), seq, -1))
                seq += 1
            else:
                q.append((now, wl))
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return waits, events, secs, cpu


def replicate_heapq_dropout(sc, streams, rep, horizon):
    """replicate_heapq with people leaving the waitlist: what is a stream's index for an
    arrival, None for the end of a stay, the person for a dropout; a person is a list
    [arrival time, group's waits, still waiting], left in its queue when it leaves and
    skipped there (lazy deletion)."""
    prog = sc["programs"][0]
    warmup = float(sc.get("warmup_days", 0))
    stay_rng, stream_rngs = rngs(sc, streams, rep)
    stay = sampler(prog["length_of_stay"], "programs[0].length_of_stay")(stay_rng)
    waits = {s["group"]: [] for s in streams}
    queues = [collections.deque() for _ in range(4)]  # federal tiers 1..4, FIFO each
    # Per stream: interarrival and patience draws, its tier's queue, its group's waits.
    src = []
    for k, s in enumerate(streams):
        rng = stream_rngs[k]
        src.append((functools.partial(rng.expovariate, s["rate"]),
                    s["dropout"](rng) if s["dropout"] is not None else None,
                    queues[s["tier"] - 1], waits[s["group"]]))
    heap = [(interarrival(), k, k) for k, (interarrival, _, _, _) in enumerate(src)]
    heapq.heapify(heap)
    push, pop = heapq.heappush, heapq.heappop
    seq = len(heap)
    free, events = int(prog["beds"]), 0
    t0, c0 = time.perf_counter(), time.process_time()
    while heap:
        now, _, what = pop(heap)
        if now >= horizon:
            break
        if what is None:  # end of a stay
            events += 1
            for q in queues:
                while q:
                    p = q.popleft()
                    if p[2]:  # still waiting
                        p[2] = False
                        if p[0] >= warmup:
                            p[1].append(now - p[0])
                        push(heap, (now + stay(), seq, None))
                        seq += 1
                        break
                else:
                    continue
                break
            else:
                free += 1
        elif what.__class__ is int:  # an arrival of stream what
            events += 1
            interarrival, patience, q, wl = src[what]
            push(heap, (now + interarrival(), seq, what))
            seq += 1
            # The textbook source draws the next interarrival time before the person it
            # just started draws its patience: the same order keeps the same numbers.
            p = patience() if patience is not None else None
            if free:
                free -= 1
                if now >= warmup:
                    wl.append(0.0)
                push(heap, (now + stay(), seq, None))
                seq += 1
                continue
            person = [now, wl, True]
            q.append(person)
            if p is not None:
                push(heap, (now + p, seq, person))
                seq += 1
        elif what[2]:  # patience ran out while still waiting
            what[2] = False
            events += 1  # dropout
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return waits, events, secs, cpu


MODELS = {"textbook": replicate_textbook, "lean": replicate_lean, "heapq": replicate_heapq}

def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--model", choices=sorted(MODELS), default="textbook",
                    help="how the model is written (default textbook)")
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
        waits, ev, dt, dc = MODELS[args.model](sc, streams, rep, horizon)
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
        "model": args.model,
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
