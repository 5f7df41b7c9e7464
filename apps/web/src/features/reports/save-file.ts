/** Hands a downloaded body to the browser as a file to save. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Kept a minute: the browser reads the file after the click's task, at its own pace.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
