/**
 * A controller that follows a parent signal until disposed. Used instead of `AbortSignal.any()`
 * with a long-lived parent, which on Node 20 keeps every derived signal reachable from the
 * parent for the parent's lifetime (one per request, for the whole run).
 */
export function childController(parent?: AbortSignal): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  if (!parent) return { controller, dispose: () => {} };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, dispose: () => {} };
  }
  const follow = () => controller.abort(parent.reason);
  parent.addEventListener('abort', follow, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', follow) };
}
