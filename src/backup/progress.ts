/** A progress line at most every `everyMs`: readable in a terminal and in a cron mail or log. */
export function progressTicker(
  log: (line: string) => void,
  everyMs = 5_000,
): (line: () => string) => void {
  let last = Date.now();
  return (line) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    log(line());
  };
}

export const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
