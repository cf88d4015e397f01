// CPU and memory of named processes, read from /proc once a second: utime + stime of
// /proc/<pid>/stat (summed with their descendants' when asked) and VmRSS of /proc/<pid>/status,
// the time their threads were ready to run but waited for a core (/proc/<pid>/task/*/schedstat),
// next to the whole machine's busy share from /proc/stat (the machine is shared).
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

const CLOCK_TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
  /** Counts the process's children too (a supervisor, a Synapse worker launcher…). */
  readonly withDescendants: boolean;
}

interface Sample {
  readonly atMs: number;
  /** CPU seconds used so far, per watched name. */
  readonly cpuSeconds: Map<string, number>;
  readonly rssMb: Map<string, number>;
  /** Seconds spent runnable but waiting for a core, so far, per watched name. */
  readonly waitSeconds: Map<string, number>;
  readonly machineBusy: number;
  readonly machineTotal: number;
}

export interface ProcessFigures {
  /** Share of one core, over the measured window (100 = one core busy all the time). */
  readonly cpuPercentMean: number;
  /** The busiest 5 s of the window. */
  readonly cpuPercentPeak5s: number;
  readonly cpuSeconds: number;
  /** Time its threads were ready to run but waited for a core, as a share of the window (CPU starvation). */
  readonly waitingForCpuPercent: number;
  readonly rssMbMax: number;
  readonly rssMbEnd: number;
}

export interface SamplerReport {
  readonly windowS: number;
  readonly processes: Record<string, ProcessFigures>;
  /** Busy share of all the machine's cores (every engineer's processes included). */
  readonly machineBusyPercent: number;
  readonly cores: number;
}

function parseStat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const stat = parseStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone`);
  return stat.ticks / CLOCK_TICKS_PER_SECOND;
}

function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Run-queue wait of every thread of `pid`, in seconds. */
function waitingSeconds(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[1]);
      } catch {
        // the thread ended
      }
    }
    return ns / 1e9;
  } catch {
    return 0;
  }
}

function machineTimes(): { busy: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

/** Every pid whose parent chain reaches `root`, `root` included. */
function withChildren(root: number, parents: Map<number, number>): number[] {
  const found = [root];
  for (const [pid] of parents) {
    let p = parents.get(pid);
    for (let depth = 0; p !== undefined && p > 1 && depth < 20; depth++) {
      if (p === root) {
        found.push(pid);
        break;
      }
      p = parents.get(p);
    }
  }
  return found;
}

export class ProcessSampler {
  private readonly watched: WatchedProcess[] = [];
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly cores = Number(readFileSync("/proc/cpuinfo", "utf8").match(/^processor\s*:/gm)?.length ?? 1);

  watch(process: WatchedProcess): void {
    this.watched.push(process);
  }

  start(intervalMs = 1_000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const parents = new Map<number, number>();
    const ticks = new Map<number, number>();
    for (const entry of readdirSync("/proc")) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const stat = parseStat(pid);
      if (!stat) continue;
      parents.set(pid, stat.ppid);
      ticks.set(pid, stat.ticks);
    }
    const cpuSeconds = new Map<string, number>();
    const rss = new Map<string, number>();
    const wait = new Map<string, number>();
    for (const w of this.watched) {
      const pids = w.withDescendants ? withChildren(w.pid, parents) : [w.pid];
      cpuSeconds.set(w.name, pids.reduce((sum, pid) => sum + (ticks.get(pid) ?? 0), 0) / CLOCK_TICKS_PER_SECOND);
      rss.set(w.name, pids.reduce((sum, pid) => sum + rssMb(pid), 0));
      wait.set(w.name, pids.reduce((sum, pid) => sum + waitingSeconds(pid), 0));
    }
    const machine = machineTimes();
    this.samples.push({ atMs: performance.now(), cpuSeconds, rssMb: rss, waitSeconds: wait, machineBusy: machine.busy, machineTotal: machine.total });
  }

  /** Figures between two moments (performance.now()), e.g. the replayed hour. */
  report(fromMs: number, toMs: number): SamplerReport {
    const window = this.samples.filter((s) => s.atMs >= fromMs - 1_500 && s.atMs <= toMs + 1_500);
    const first = window[0];
    const last = window.at(-1);
    if (!first || !last || last === first) throw new Error("not enough process samples in the window");
    const seconds = (last.atMs - first.atMs) / 1000;
    const processes: Record<string, ProcessFigures> = {};
    for (const w of this.watched) {
      const used = (s: Sample): number => s.cpuSeconds.get(w.name) ?? 0;
      let peak = 0;
      for (let i = 0; i < window.length; i++) {
        const end = window.findIndex((s, j) => j > i && s.atMs - window[i]!.atMs >= 5_000);
        if (end < 0) break;
        peak = Math.max(peak, (used(window[end]!) - used(window[i]!)) / ((window[end]!.atMs - window[i]!.atMs) / 1000));
      }
      const rssValues = window.map((s) => s.rssMb.get(w.name) ?? 0);
      processes[w.name] = {
        cpuPercentMean: Math.round(((used(last) - used(first)) / seconds) * 100),
        cpuPercentPeak5s: Math.round(peak * 100),
        cpuSeconds: Math.round((used(last) - used(first)) * 10) / 10,
        waitingForCpuPercent: Math.round((((last.waitSeconds.get(w.name) ?? 0) - (first.waitSeconds.get(w.name) ?? 0)) / seconds) * 100),
        rssMbMax: Math.round(Math.max(...rssValues)),
        rssMbEnd: Math.round(rssValues.at(-1) ?? 0),
      };
    }
    const machineBusyPercent = Math.round(((last.machineBusy - first.machineBusy) / (last.machineTotal - first.machineTotal)) * 100);
    return { windowS: Math.round(seconds), processes, machineBusyPercent, cores: this.cores };
  }
}
