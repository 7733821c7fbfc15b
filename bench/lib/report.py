"""What every benchmark prints: the machine and its load, repeated measurements as min and median, and the
`BENCH <name> <value> <unit> vs <reference> <value> <unit> ratio <r>` line.

    from bench.lib.report import Runs, bench_line, machine_header, repeat

    machine_header("renditions")                      # CPU model, CPUs, load average, Python
    ours = repeat(lambda: time_once(), times=5)       # a Runs: .min, .median, .values
    ref = repeat(lambda: time_reference(), times=5)
    ours.report("renditions", "s/photo", ref, "pyvips")   # a BENCH line on the medians, then min/median of each

A shared machine makes single figures unreliable: the minimum is the least disturbed run, the median the typical
one; both are printed, with the load average at the start and at the end.
"""
from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from typing import Callable


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine_header(name: str, **facts) -> None:
    """`# <name>: <CPU model>, <n> CPUs, load average 1/5/15 min, Python x.y` and any further facts."""
    extra = "".join(f", {key.replace('_', ' ')} {value}" for key, value in facts.items())
    print(f"# {name}: {cpu_model()}, {os.cpu_count()} CPUs, load average {load_average()}, "
          f"Python {platform.python_version()}{extra}", flush=True)


def load_footer() -> None:
    print(f"# load average at the end: {load_average()}", flush=True)


@dataclass
class Runs:
    """Repeated measurements of one figure."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> float:
        self.values.append(value)
        return value

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def spread(self, unit: str, digits: int = 2) -> str:
        return (f"min {self.min:.{digits}f} median {self.median:.{digits}f} max {self.max:.{digits}f} {unit} "
                f"over {len(self.values)} runs")

    def report(self, name: str, unit: str, reference: "Runs | None" = None, ref_name: str | None = None,
               ref_unit: str | None = None, *, use: str = "median", digits: int = 2) -> float | None:
        """The BENCH line (on the median by default, or `use="min"`), then the spread of both sides.
        Answers the ratio (or None without a reference)."""
        value = getattr(self, use)
        if reference is None:
            bench_line(name, value, unit, digits=digits)
            print(f"#   {name}: {self.spread(unit, digits)}", flush=True)
            return None
        ref_value = getattr(reference, use)
        bench_line(name, value, unit, ref_name, ref_value, ref_unit or unit, digits=digits)
        print(f"#   {name}: {self.spread(unit, digits)}; {ref_name}: {reference.spread(ref_unit or unit, digits)}",
              flush=True)
        return value / ref_value if ref_value else float("nan")


def repeat(measure: Callable[[], float], times: int) -> Runs:
    runs = Runs()
    for _ in range(times):
        runs.add(measure())
    return runs


def process_cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    """User + system CPU seconds a process has used so far (clock ticks from /proc/<pid>/stat); with_children adds
    its children that have exited and been waited for (an RQ worker's work horses). NaN once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    except OSError:
        return float("nan")
    ticks = fields[11:15] if with_children else fields[11:13]  # utime, stime[, cutime, cstime]
    return sum(int(value) for value in ticks) / os.sysconf("SC_CLK_TCK")


def bench_line(name: str, value: float, unit: str, reference: str | None = None, ref_value: float | None = None,
               ref_unit: str | None = None, *, digits: int = 2) -> str:
    line = f"BENCH {name} {value:.{digits}f} {unit}"
    if reference is not None:
        ratio = value / ref_value if ref_value else float("nan")
        line += f" vs {reference} {ref_value:.{digits}f} {ref_unit or unit} ratio {ratio:.2f}"
    print(line, flush=True)
    return line
