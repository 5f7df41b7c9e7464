/** Copies text; falls back to a hidden textarea where the async Clipboard API is refused. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Not a secure context, or no permission: try the old way below.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  // Inside a modal dialog only the dialog is focusable: put the textarea there.
  const host = document.activeElement?.closest('dialog') ?? document.body;
  host.append(area);
  const previous = document.activeElement as HTMLElement | null;
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  previous?.focus();
  if (!ok) throw new Error('copy refused');
}
