#!/usr/bin/env python3
"""One-way latency per transport through the whole product path on loopback (wirespeed demo: simulator thread ->
loopback multicast -> transport -> decode -> books -> breakers -> classify -> deliver), transports interleaved over
rounds (A B C ... A B C ...) on a shared, noisy VM, summarised by the median over rounds of each run's p50 and by the
paired per-round difference against the first variant.

usage: transport-latency-demo.py WIRESPEED ROUNDS VARIANT...
  VARIANT = TRANSPORT[:URING_SETUP][@NATIVE_LIB]
    TRANSPORT recv | socket (recvmmsg) | uring | xdp ; URING_SETUP defer-taskrun | coop
    @NATIVE_LIB runs that variant with WIRESPEED_NATIVE_LIB=NATIVE_LIB (JIT build only: compare two builds of the shim)
environment: RATE (msg/s, default 20000), SECS (measured seconds, default 3), PIN (CPU of the receiving worker),
  SIMCPU (CPU the simulator and hiccup-meter threads are moved to once they exist). With PIN=1 SIMCPU=0 the sender never
  preempts the spinning receiver; without, a run's p50 flips between two modes (~8 and ~30 us here) depending on where
  the scheduler puts the simulator thread, which hides transport differences.
"""
import glob, json, os, subprocess, sys, tempfile, time

import rounds as rounds_report

exe, rounds, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rate = int(os.environ.get("RATE", "20000"))
secs = float(os.environ.get("SECS", "3"))
results = {v: [] for v in variants}
work = tempfile.mkdtemp(prefix="ws-latency-")


def move_helper_threads(pid, cpu, proc):
    """Moves the simulator ('ws-sim') and hiccup-meter ('ws-hiccup') threads to CPU `cpu` once they exist."""
    moved, until = set(), time.time() + 10
    while time.time() < until and len(moved) < 2 and proc.poll() is None:
        for comm in glob.glob(f"/proc/{pid}/task/*/comm"):
            try:
                name = open(comm).read().strip()
            except OSError:
                continue
            tid = comm.split("/")[4]
            if name in ("ws-sim", "ws-hiccup") and tid not in moved:
                subprocess.run(["taskset", "-pc", cpu, tid], capture_output=True)
                moved.add(tid)
        time.sleep(0.005)


for r in range(rounds):
    for i, v in enumerate(variants):
        spec, _, lib = v.partition("@")
        transport, _, setup = spec.partition(":")
        env = dict(os.environ)
        if lib:
            env["WIRESPEED_NATIVE_LIB"] = lib
        config = {"lines": [{"port": 26900 + i, "transport": transport, "uringSetup": setup or "defer-taskrun"}],
                  "simulator": {"rate": rate, "seconds": secs, "maxPayloadBytes": 200},
                  "books": {"maxInstruments": 1024, "maxOrders": 262144}}
        if os.environ.get("PIN"):
            config["pipeline"] = {"workers": [{"name": "main", "cpu": int(os.environ["PIN"])}]}
        config_path, summary_path = os.path.join(work, "c.json"), os.path.join(work, "s.json")
        json.dump(config, open(config_path, "w"))
        proc = subprocess.Popen([exe, "demo", "--config", config_path, "--json", summary_path],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        if os.environ.get("SIMCPU"):
            move_helper_threads(proc.pid, os.environ["SIMCPU"], proc)
        out, err = proc.communicate()
        if proc.returncode != 0:
            print(f"round {r + 1} {v}: FAILED\n{out[-2000:]}\n{err[-2000:]}")
            continue
        s = json.load(open(summary_path))
        f = rounds_report.figures(s)
        tr = s["counters"].get("transport", {})
        lost = s["counters"]["demo"]["messages_lost"]
        results[v].append(f)
        print(f"{rounds_report.line(f'round {r + 1} {v:24s}', f)} | lost {lost} | "
              f"receive system calls {tr.get('system_calls', '-')} for {tr.get('packets', '-')} packets", flush=True)

rounds_report.report(results, variants, 24)
