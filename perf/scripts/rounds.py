"""Shared by the interleaved per-transport latency scripts: one round's figures from a wirespeed JSON summary, and the
summary over rounds (medians of each figure, paired per-round differences of the one-way p50 against the first
variant). Imported, not run."""
import statistics


def figures(summary):
    """(one-way p50, min, p99, p99.9, end-to-end p50, hiccup p50, hiccup p99.9) in ns from a --json summary."""
    ow = next(x for x in summary["stages"] if x["name"] == "one-way")
    e2e = summary.get("end_to_end") or {}
    h = summary["host"]["hiccup"]
    return ow["p50_ns"], ow["min_ns"], ow["p99_ns"], ow["p999_ns"], e2e.get("p50_ns", 0), h["p50_ns"], h["p999_ns"]


def line(label, f):
    """One round's figures as printed per round."""
    return (f"{label} one-way min {f[1] / 1e3:5.1f} p50 {f[0] / 1e3:6.1f} p99 {f[2] / 1e3:8.1f} p99.9 {f[3] / 1e3:8.1f} us"
            f" | hiccup p50 {f[5] / 1e3:4.0f} p99.9 {f[6] / 1e3:6.0f} us")


def report(results, variants, width):
    """Medians over rounds per variant, then paired differences of one-way p50 against variants[0]."""
    print(f"== medians over rounds (us): one-way p50 / min / p99 / p99.9; end-to-end p50; hiccup p50 / p99.9")
    for v in variants:
        xs = results[v]
        if xs:
            m = [statistics.median(c) / 1e3 for c in zip(*xs)]
            print(f"{v:{width}s} n={len(xs)} p50 {m[0]:6.2f} min {m[1]:5.2f} p99 {m[2]:8.1f} p99.9 {m[3]:8.1f} | e2e p50 {m[4]:5.2f} | "
                  f"hiccup p50 {m[5]:4.0f} p99.9 {m[6]:6.0f} | per-round p50s {' '.join(f'{x[0] / 1e3:.1f}' for x in xs)}")
    base = variants[0]
    print(f"== paired per-round difference of one-way p50 against {base} (us)")
    for v in variants[1:]:
        pairs = [(x[0] - y[0]) / 1e3 for x, y in zip(results[v], results[base])]
        if pairs:
            print(f"{v:{width}s} median {statistics.median(pairs):+6.2f}, faster in {sum(p < 0 for p in pairs)}/{len(pairs)} rounds: "
                  f"{' '.join(f'{p:+.1f}' for p in pairs)}")
