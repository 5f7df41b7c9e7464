import { Fragment, useCallback, useRef, useState, type ReactNode } from 'react';

type Render = (close: () => void) => ReactNode;

/**
 * Windows opened on top of each other (the details window, then Reset from it …): `push`
 * opens one, its `close` removes just that one, and the ones under it stay as they were.
 */
export function useDialogStack() {
  const [stack, setStack] = useState<{ id: number; render: Render }[]>([]);
  const nextId = useRef(1);
  const push = useCallback((render: Render) => {
    const id = nextId.current++;
    setStack((s) => [...s, { id, render }]);
  }, []);
  const node = stack.map((entry) => <Fragment key={entry.id}>{entry.render(() => setStack((s) => s.filter((e) => e.id !== entry.id)))}</Fragment>);
  return { push, node };
}
