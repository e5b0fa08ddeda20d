/**
 * Uploads streaming at once, counted per caller, in this process. The upload route is public (the
 * signed URL is the credential), so the caller is the user the URL was given to (the upload's
 * creator): every URL for a file is handed out to an authenticated, rate-limited user, who is the
 * one accountable for it. The client's IP would be the load balancer's for everybody behind one,
 * and one user could spread URLs over many addresses.
 *
 * What is counted is uploads, not request bodies: Azure's clients send the blocks of one upload
 * several at once (five by default), and those bodies share their upload's slot, up to
 * BODIES_PER_UPLOAD of them at a time.
 */
export const BODIES_PER_UPLOAD = 16;

export class UploadSlots {
  /** Per caller: the uploads streaming, each with how many of its bodies are. */
  private readonly held = new Map<string, Map<string, number>>();

  constructor(readonly perCaller: number) {}

  /** Whether bodies of this upload are streaming already (so a refusal is about its bodies, not the caller's uploads). */
  busyUpload(caller: string, upload: string): boolean {
    return (this.held.get(caller)?.get(upload) ?? 0) > 0;
  }

  /**
   * A slot for a body of `upload` (a file version) for `caller`, with the function that gives it
   * back; undefined when the caller's uploads are all in use, or this upload's bodies.
   */
  take(caller: string, upload: string): (() => void) | undefined {
    const uploads = this.held.get(caller) ?? new Map<string, number>();
    const bodies = uploads.get(upload) ?? 0;
    if (bodies === 0 ? uploads.size >= this.perCaller : bodies >= BODIES_PER_UPLOAD) return undefined;
    uploads.set(upload, bodies + 1);
    this.held.set(caller, uploads);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (uploads.get(upload) ?? 1) - 1;
      if (left > 0) uploads.set(upload, left);
      else uploads.delete(upload);
      if (uploads.size === 0 && this.held.get(caller) === uploads) this.held.delete(caller);
    };
  }
}
