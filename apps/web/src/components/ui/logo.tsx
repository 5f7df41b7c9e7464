/** The PassMan mark (decorative: the product name is always written next to it). */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--color-accent)" />
      <path d="M11 14v-3a5 5 0 0 1 10 0v3" fill="none" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
      <rect x="8" y="14" width="16" height="12" rx="2.5" fill="#fff" />
      <circle cx="16" cy="20" r="2" fill="var(--color-accent)" />
    </svg>
  );
}
