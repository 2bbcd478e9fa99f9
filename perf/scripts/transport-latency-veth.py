#!/usr/bin/env python3
"""One-way latency per transport through the product over a veth pair (root): `wirespeed run --one-way` receives on
the host end, `wirespeed simulate` sends from inside a network namespace, SIGTERM ends the run; one-way = the
simulator's realtime ITCH stamp -> deliver stage (both processes read the same clock). Transports interleaved over
rounds; medians over rounds and paired per-round differences against the first variant.

usage: transport-latency-veth.py WIRESPEED ROUNDS VARIANT...
  VARIANT = recv | socket (recvmmsg) | uring[:coop] | xdp:skb | xdp:drv
environment: RATE (msg/s, default 20000), SECS (default 3), PIN (CPU of the receiving worker), SIMCPU (CPU of simulate).
The pair has one receive queue (AF_XDP binds it), 200-byte packets; names and addresses are fixed (wsbv*, 10.123.45.0/24)
and removed at the end, also after a failure.
"""
import json, os, re, signal, subprocess, sys, tempfile, time

import rounds as rounds_report

exe, rounds, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rate = int(os.environ.get("RATE", "20000"))
secs = float(os.environ.get("SECS", "3"))
ns, host_if, peer_if, net = "wsbv", "wsbva", "wsbvb", "10.123.45"


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, capture_output=True, text=True)


def cleanup():
    sh(f"ip netns del {ns}", False)
    sh(f"ip link del {host_if}", False)


cleanup()
work = tempfile.mkdtemp(prefix="ws-veth-")
results = {v: [] for v in variants}
try:
    sh(f"ip netns add {ns}")
    sh(f"ip link add {host_if} numrxqueues 1 numtxqueues 1 type veth peer name {peer_if} numrxqueues 1 numtxqueues 1")
    sh(f"ip link set {peer_if} netns {ns}")
    sh(f"ip addr add {net}.1/24 dev {host_if}")
    sh(f"ip link set {host_if} up")
    sh(f"ip -n {ns} addr add {net}.2/24 dev {peer_if}")
    sh(f"ip -n {ns} link set {peer_if} up")
    sh(f"sysctl -qw net.ipv6.conf.{host_if}.disable_ipv6=1", False)
    for r in range(rounds):
        for i, v in enumerate(variants):
            transport, _, mode = v.partition(":")
            port = 27100 + i
            line = {"transport": transport, "device": host_if, "group": "239.255.95.1", "port": port, "interface": f"{net}.1",
                    "session": "WIRESPEED1", "exchangeTimeZone": "UTC"}   # the simulator stamps ns since UTC midnight
            if transport == "xdp":
                line["xdpMode"] = mode
            if transport == "uring" and mode:
                line["uringSetup"] = mode
            config = {"lines": [line], "books": {"maxInstruments": 1024, "maxOrders": 262144}}
            if os.environ.get("PIN"):
                config["pipeline"] = {"workers": [{"name": "main", "cpu": int(os.environ["PIN"])}]}
            receiver_config, sender_config = os.path.join(work, "r.json"), os.path.join(work, "s.json")
            summary = os.path.join(work, "summary.json")
            json.dump(config, open(receiver_config, "w"))
            json.dump({"lines": [{"group": "239.255.95.1", "port": port, "interface": f"{net}.2"}],
                       "simulator": {"rate": rate, "maxPayloadBytes": 200, "seconds": secs}}, open(sender_config, "w"))
            if os.path.exists(summary):
                os.remove(summary)
            rx = subprocess.Popen([exe, "run", "--config", receiver_config, "--one-way", "--json", summary],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                started = ""
                while "wirespeed run: line" not in started:
                    text = rx.stdout.readline()
                    if not text:
                        break
                    started += text
                pin = ["taskset", "-c", os.environ["SIMCPU"]] if os.environ.get("SIMCPU") else []
                sim = subprocess.run(["ip", "netns", "exec", ns] + pin + [exe, "simulate", "--config", sender_config,
                                      "--messages", str(int(rate * (secs + 1)))], capture_output=True, text=True, timeout=120)
                time.sleep(0.5)
                rx.send_signal(signal.SIGTERM)
                rest = rx.communicate(timeout=30)[0]
            finally:
                if rx.poll() is None:
                    rx.kill()
            if rx.returncode != 0 or not os.path.exists(summary):
                print(f"round {r + 1} {v}: FAILED\n{started[-1500:]}\n{rest[-1500:]}\n{sim.stdout}{sim.stderr}")
                continue
            s = json.load(open(summary))
            f = rounds_report.figures(s)
            tr = s["counters"].get("transport", {})
            sent = int(re.search(r"sent ([\d,]+) messages", sim.stdout).group(1).replace(",", ""))
            got = sum(s["counters"]["messages_by_type"].values())
            results[v].append(f)
            print(f"{rounds_report.line(f'round {r + 1} {v:10s}', f)} | sent {sent} received {got} | "
                  f"receive system calls {tr.get('system_calls', '-')} for {tr.get('packets', '-')} packets", flush=True)
finally:
    cleanup()

rounds_report.report(results, variants, 10)
