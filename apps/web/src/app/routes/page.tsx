import type { ReactNode } from 'react';

/** A main page: its heading (read out, hidden: the selected tab shows it) and content. */
export function Page({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-heading">
      <h1 id="page-heading" className="sr-only">
        {heading}
      </h1>
      {children}
    </section>
  );
}
