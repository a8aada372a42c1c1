import { awsComposition } from './aws-composition';
import { createScheduleFireHandler } from './schedule-fire-handler';

/** The target of every app-agent schedule (EventBridge Scheduler): starts the scheduled run. */
export const handler = createScheduleFireHandler(async () => {
  const plane = await awsComposition();
  return (due) => plane.schedules.fire(due);
});
