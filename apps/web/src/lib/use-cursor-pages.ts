import { useState } from 'react';

/**
 * Previous / Next over an API's opaque cursors: remembers the cursor of every page visited,
 * so Previous needs no backwards query. Changing `resetKey` (filters, sort) starts again.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | null)[] }>({ key: resetKey, cursors: [null] });
  const cursors = state.key === resetKey ? state.cursors : [null];
  if (state.key !== resetKey) setState({ key: resetKey, cursors });
  return {
    page: cursors.length,
    cursor: cursors[cursors.length - 1] ?? null,
    hasPrevious: cursors.length > 1,
    next: (cursor: string | null | undefined) => {
      if (cursor) setState({ key: resetKey, cursors: [...cursors, cursor] });
    },
    previous: () => setState({ key: resetKey, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
    reset: () => setState({ key: resetKey, cursors: [null] }),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;
