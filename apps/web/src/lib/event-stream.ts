import { useEffect, useRef, useState } from 'react';

/**
 * Follows a Server-Sent Events stream of the API (`url`, from `api.url(route, …)`) while `enabled`,
 * calling `onData` with each `eventName` event's JSON. The browser sends the session cookie.
 * The API ends the stream when the thing it follows is done; EventSource would reconnect then,
 * so the caller turns `enabled` off once it has seen the end. Returns true once the stream
 * failed (the caller falls back to polling).
 */
export function useEventStream<T>(url: string, eventName: string, enabled: boolean, onData: (data: T) => void): boolean {
  const [failed, setFailed] = useState(false);
  const onDataRef = useRef(onData);
  useEffect(() => {
    onDataRef.current = onData;
  });

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource(url, { withCredentials: false });
    const listener = (event: MessageEvent<string>) => {
      try {
        onDataRef.current(JSON.parse(event.data) as T);
      } catch {
        // A malformed event is skipped; the next one or the fallback poll catches up.
      }
    };
    source.addEventListener(eventName, listener as EventListener);
    source.onerror = () => {
      // Closed by the server after the last event, or refused: stop and let polling take over.
      source.close();
      setFailed(true);
    };
    return () => {
      source.removeEventListener(eventName, listener as EventListener);
      source.close();
    };
  }, [url, eventName, enabled]);

  return failed;
}
