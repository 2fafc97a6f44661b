/**
 * The processes the benchmark owns, through the stack's supervisor
 * (stack/src/supervisor.ts). What it measures of them comes from
 * stack/src/proc.ts (/proc, Linux only).
 *
 * Every supervisor made here is remembered, so one `stopAll()` (at the end,
 * on Ctrl-C, on an error) stops everything the run started. Benchmarks never
 * restart a process that dies: a crash must show as a failed part, not be
 * hidden by a restart.
 */
import { NEVER_RESTART, outputToFiles, Supervisor, type ProcessSpec } from '@tracing-demo/stack/supervisor';
import { log } from './context.ts';

export { MB, processTree, rssBytes, rssParts, treeCpuSeconds, treeRssBytes } from '@tracing-demo/stack/proc';

const supervisors: Supervisor[] = [];

/** A supervisor of `specs` (never restarting them), each process's output appended to `<logDir>/<name>.log`. */
export function benchSupervisor(specs: readonly ProcessSpec[], logDir: string): Supervisor {
  const supervisor = new Supervisor(
    specs.map((spec) => ({ ...spec, restart: NEVER_RESTART })),
    { onOutput: outputToFiles(logDir), log: (line) => log(line) },
  );
  supervisors.push(supervisor);
  return supervisor;
}

/** Stops every process the benchmark started, the latest supervisor first. */
export async function stopAll(): Promise<void> {
  for (const supervisor of supervisors.splice(0).reverse()) await supervisor.stopAll();
}
