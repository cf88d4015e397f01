/** Time is a port: deadlines and reminders are tested by moving a fake clock, not by sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
