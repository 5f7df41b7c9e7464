/**
 * A small History-API router: enough for a handful of top-level pages, with no
 * dependency. `useLocation()` re-renders on navigation; `navigate()` pushes or replaces;
 * `<Link>` is a real `<a href>` (so open-in-new-tab works) that navigates in place.
 */
import { useSyncExternalStore, type ComponentProps, type MouseEvent } from 'react';

export interface Location {
  pathname: string;
  search: string;
  hash: string;
}

const listeners = new Set<() => void>();
let snapshot: Location = read();

function read(): Location {
  const { pathname, search, hash } = window.location;
  return { pathname, search, hash };
}

function emit(): void {
  const next = read();
  if (
    next.pathname === snapshot.pathname &&
    next.search === snapshot.search &&
    next.hash === snapshot.hash
  ) {
    return;
  }
  snapshot = next;
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', emit);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getLocation(): Location {
  return snapshot;
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, getLocation);
}

export function useSearchParams(): URLSearchParams {
  return new URLSearchParams(useLocation().search);
}

export interface NavigateOptions {
  replace?: boolean;
}

export function navigate(to: string, options: NavigateOptions = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  emit();
}

/** Only same-origin, absolute paths: a `redirectTo` from the URL must not leave the app. */
export function safeInternalPath(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  return value;
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return (
    event.button === 0 &&
    !event.metaKey &&
    !event.altKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.defaultPrevented
  );
}

export interface LinkProps extends Omit<ComponentProps<'a'>, 'href'> {
  to: string;
  replace?: boolean;
}

export function Link({ to, replace, onClick, target, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={to}
      target={target}
      onClick={(event) => {
        onClick?.(event);
        if (!isPlainLeftClick(event) || (target && target !== '_self')) return;
        event.preventDefault();
        navigate(to, { replace });
      }}
    />
  );
}
