/** The command that picks a failed stream up where it stopped (its walks resume from their checkpoints). */
export function resumeCommand(stream: string, opts: { queued: boolean }): string {
  return `npx puffle-sync sync${opts.queued ? ' --queue' : ''} --streams ${stream}`;
}
