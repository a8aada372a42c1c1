/** Undoes what a start did, in reverse order, once. */
export class Teardown {
  private readonly steps: (() => Promise<void> | void)[] = [];
  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }
  /** Runs every step even when one fails; rejects with the first failure. */
  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    const [first] = failures;
    if (first instanceof Error) throw first;
    if (first !== undefined) throw new Error(`shutdown step failed: ${JSON.stringify(first)}`);
  }
}
