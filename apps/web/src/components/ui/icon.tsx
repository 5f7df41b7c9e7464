export type IconName =
  'eye' | 'eye-off' | 'copy' | 'more' | 'info' | 'check' | 'close' | 'sort-asc' | 'sort-desc' | 'sort' | 'plus' | 'key' | 'refresh' | 'bell';

// 24×24 strokes, drawn with currentColor.
const paths: Record<IconName, string> = {
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12Z M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z',
  'eye-off':
    'M3 3l18 18 M10.6 5.1A10.9 10.9 0 0 1 12 5c6.4 0 10 7 10 7a17.8 17.8 0 0 1-3.2 4.2 M6.6 6.6C3.9 8.3 2 12 2 12s3.6 7 10 7a9.7 9.7 0 0 0 5.4-1.6 M9.9 9.9a3 3 0 0 0 4.2 4.2',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  more: 'M12 5.5v.01 M12 12v.01 M12 18.5v.01',
  info: 'M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20Z M12 16v-5 M12 8v.01',
  check: 'M4 12.5l5 5L20 6.5',
  close: 'M6 6l12 12 M18 6L6 18',
  'sort-asc': 'M12 5v14 M6 11l6-6 6 6',
  'sort-desc': 'M12 5v14 M6 13l6 6 6-6',
  sort: 'M8 4v16 M4 8l4-4 4 4 M16 20V4 M12 16l4 4 4-4',
  plus: 'M12 5v14 M5 12h14',
  key: 'M14.5 9.5a4.5 4.5 0 1 1-9 0 4.5 4.5 0 0 1 9 0Z M13.2 12.7 21 20.5 M18 17.5l2-2 M16 15.5l2-2',
  refresh: 'M20 11a8 8 0 1 0-2.3 5.7 M20 4v7h-7',
  bell: 'M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2Z M10 20a2 2 0 0 0 4 0',
};

/** A decorative icon; the control around it carries the accessible name. */
export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={name === 'more' ? 3.2 : 2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
