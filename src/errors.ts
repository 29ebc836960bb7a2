/** Error classes every layer may throw; this module imports nothing of the project. */

/**
 * A problem the user can fix: printed as one plain line (plus `details`, one line each) with a hint, exit code 2.
 * `message` holds the headline and the details, for code that only reads the message.
 */
export class UsageError extends Error {
  readonly headline: string;
  readonly details: readonly string[];
  constructor(
    message: string,
    readonly hint?: string,
    details: readonly string[] = [],
  ) {
    super(details.length > 0 ? `${message}\n${details.map((d) => `  ${d}`).join('\n')}` : message);
    this.headline = message;
    this.details = details;
  }
}
