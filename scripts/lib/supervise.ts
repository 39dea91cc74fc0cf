/**
 * Supervision of one child process of `npm start`: when it dies unexpectedly it is started again after a
 * back-off (1 s doubling to 30 s; back to 1 s once it has run for a minute) while the other parts keep serving.
 */
export interface Running {
  /** Settles when the process has exited. */
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

const FIRST_DELAY = 1_000;
const MAX_DELAY = 30_000;
const HEALTHY_AFTER = 60_000;

export class Supervised {
  private running: Running | null = null;
  private stopped = false;
  private delay = FIRST_DELAY;
  private timer: NodeJS.Timeout | undefined;
  /** A restart under way, which stop() waits for. */
  private pending: Promise<void> | null = null;
  /** How often it has been started again. */
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly start: () => Promise<Running>,
    private readonly log: (msg: string) => void,
  ) {}

  /** The first start: a failure here fails the whole start. */
  async run(adopt?: Running): Promise<void> {
    this.watch(adopt ?? (await this.start()));
  }

  private watch(running: Running): void {
    this.running = running;
    const since = Date.now();
    void running.exited.then((how) => {
      if (this.stopped || this.running !== running) return;
      this.running = null;
      if (Date.now() - since >= HEALTHY_AFTER) this.delay = FIRST_DELAY;
      this.log(`${this.name} exited unexpectedly (${JSON.stringify(how)}); starting it again in ${this.delay / 1000} s`);
      this.schedule();
    });
  }

  private schedule(): void {
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, MAX_DELAY);
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      this.pending = this.start().then(
        (running) => {
          if (this.stopped) return running.stop();
          this.restarts++;
          this.log(`${this.name} is running again`);
          this.watch(running);
        },
        (e: unknown) => {
          this.log(`${this.name} did not start (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); trying again in ${this.delay / 1000} s`);
          this.schedule();
        },
      );
    }, wait);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pending;
    await this.running?.stop();
  }
}
