import { z } from "zod";
import { type DateTimeTimeZone, graphDateTime, IMPORTANCES, TASK_STATUSES } from "./model";

/**
 * @module
 * Request bodies of the To Do endpoints, as zod schemas: unknown properties
 * are refused, and a dateTimeTimeZone is read as To Do reads it.
 */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const DateTimeTz = z
  .strictObject({ dateTime: z.string(), timeZone: z.string().min(1).max(100) })
  .refine((value) => !Number.isNaN(Date.parse(LOCAL_DATE_TIME.test(value.dateTime) ? `${value.dateTime.slice(0, 23)}Z` : value.dateTime)), {
    message: "dateTime is not a valid date and time",
  })
  .transform((value): DateTimeTimeZone => {
    // A wall-clock time keeps its zone; one with an offset is normalised to UTC.
    if (LOCAL_DATE_TIME.test(value.dateTime))
      return { dateTime: graphDateTime(Date.parse(`${value.dateTime.slice(0, 19)}Z`)), timeZone: value.timeZone };
    return { dateTime: graphDateTime(Date.parse(value.dateTime)), timeZone: "UTC" };
  });

export const TaskInput = z
  .strictObject({
    title: z.string().min(1).max(255),
    status: z.enum(TASK_STATUSES),
    importance: z.enum(IMPORTANCES),
    isReminderOn: z.boolean(),
    reminderDateTime: DateTimeTz.nullable(),
    dueDateTime: DateTimeTz.nullable(),
    startDateTime: DateTimeTz.nullable(),
    completedDateTime: DateTimeTz.nullable(),
    body: z.strictObject({ content: z.string().max(100_000), contentType: z.enum(["text", "html"]).default("text") }),
    categories: z.array(z.string().max(255)).max(25),
  })
  .partial();
export const NewTask = TaskInput.required({ title: true });
export const NewList = z.strictObject({ displayName: z.string().min(1).max(255) });
export type TaskPatch = z.infer<typeof TaskInput>;
