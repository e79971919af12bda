import { executeServerCommand } from '@web/test-runner-commands';

/** A URL prefix no cache has seen: the dev server maps `/fresh/<tag>/x` to `/x`. */
export function freshPrefix(name: string): string {
  return `/fresh/${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Makes every request under `prefix` answer 404 (or serve again). */
export function setOffline(prefix: string, offline: boolean): Promise<unknown> {
  return executeServerCommand('set-offline', { prefix, offline });
}

/** Holds every request under `prefix` back until it is released (held: false), as a slow network would. */
export function setHeld(prefix: string, held: boolean): Promise<unknown> {
  return executeServerCommand('set-held', { prefix, held });
}

/** Makes every request under `prefix` answer an HTML page with status 200 (or serve again). */
export function setHtml(prefix: string, html: boolean): Promise<unknown> {
  return executeServerCommand('set-html', { prefix, html });
}

/** How many requests the server saw under `prefix`. */
export function requestCount(prefix: string): Promise<number> {
  return executeServerCommand('request-count', { prefix }) as Promise<number>;
}

/** Vectors from the Node embedder (onnxruntime-node), computed by the test server. */
export async function nodeEmbed(texts: string[]): Promise<Float32Array[]> {
  const vectors = (await executeServerCommand('node-embed', { texts })) as number[][];
  return vectors.map((v) => Float32Array.from(v));
}

/** Terms no vocabulary knows, so only the model can place them. */
export const UNKNOWN_TERMS = ['zorblaxian', 'quuxwave', 'flimberish'];

/** A page the tests load in an iframe and drive through `window[global]`; each load has its own `loadId`. */
export interface FramePage<Api extends { readonly loadId: string }> {
  /** Opens `src` in a new iframe and waits for its API. */
  open(src: string): Promise<HTMLIFrameElement>;
  /** The frame's API, waiting (up to 30 s) for one whose loadId differs from `previous`. */
  api(frame: HTMLIFrameElement, previous?: string): Promise<Api>;
  /** Reloads the frame's document (a real page load: nothing in memory carries over) and waits for the new load's API. */
  reload(frame: HTMLIFrameElement): Promise<Api>;
}

/** Drives fixture pages that publish their API as `window[global]`. */
export function framePage<Api extends { readonly loadId: string }>(global: string): FramePage<Api> {
  const api = async (frame: HTMLIFrameElement, previous?: string): Promise<Api> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = (frame.contentWindow as (Window & Record<string, Api | undefined>) | null)?.[global];
      if (found !== undefined && found.loadId !== previous) return found;
      if (Date.now() > deadline) throw new Error(`the fixture page did not publish window.${global}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    api,
    async open(src) {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
      await api(frame);
      return frame;
    },
    async reload(frame) {
      const before = (await api(frame)).loadId;
      frame.contentWindow!.location.reload();
      return api(frame, before);
    },
  };
}

/** Waits (up to `ms`, 30 s by default) until `test` holds. */
export async function until(test: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
