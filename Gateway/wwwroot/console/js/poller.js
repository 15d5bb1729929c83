// Repeated refreshes (the simulator's chat, live conversations, cluster health). A background tab does not poll; the
// next tick after it is shown again catches up. Signing out stops every one of them.
import { isApiError } from './api.js';

const running = new Set();

export class Poller {
  #timer;
  #active = false;

  /** Calls tick every `milliseconds`, each time after the previous one has finished. */
  start(milliseconds, tick) {
    this.stop();
    this.#active = true;
    running.add(this);
    const run = async () => {
      try {
        if (!document.hidden) await tick();
      } catch (error) {
        if (!isApiError(error, 401)) console.warn(error);
      }
      if (this.#active) this.#timer = setTimeout(run, milliseconds);
    };
    this.#timer = setTimeout(run, milliseconds);
  }

  stop() {
    this.#active = false;
    clearTimeout(this.#timer);
    running.delete(this);
  }
}

export function stopAllPollers() {
  for (const poller of [...running]) poller.stop();
}
