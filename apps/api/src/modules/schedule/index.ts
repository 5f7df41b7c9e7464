/** The work nobody asks for: timed checks and rotation, started as ordinary jobs. */
export { createScheduleRepo, type ScheduleRepo } from './schedule.repo.js';
export { createScheduler, DEFAULT_SCHEDULER_OPTIONS, type Scheduler, type SchedulerOptions } from './scheduler.js';
