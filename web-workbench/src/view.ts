/** What every workbench screen gets: a fresh <main> to fill, the route's parameters, the hash query and the user. */
import type { User } from '../../web-shared/src/session';

export interface ViewContext {
  main: HTMLElement;
  params: string[];
  query: Record<string, string>;
  user: User;
}

/** A screen; what it returns (if anything) is called when the user leaves it. */
export type View = (ctx: ViewContext) => void | (() => void) | Promise<void | (() => void)>;
