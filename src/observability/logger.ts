import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * JSON logs. Post text must never reach a log line: callers log ids and hashes only, and the
 * redaction below is a second line of defence for fields that could carry member content.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'hearth', ...bindings },
    redact: {
      paths: ['body', 'text', 'title', '*.body', '*.text', '*.title', 'req.headers.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
