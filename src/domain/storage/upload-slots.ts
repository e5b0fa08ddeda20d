/**
 * Uploads streaming at once, counted per caller, in this process. The upload route is public (the
 * signed URL is the credential), so the caller is the user the URL was given to (the upload's
 * creator): every URL for a file is handed out to an authenticated, rate-limited user, who is the
 * one accountable for it. The client's IP would be the load balancer's for everybody behind one,
 * and one user could spread URLs over many addresses.
 */
export class UploadSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly perCaller: number) {}

  /** A slot for `caller`, with the function that gives it back; undefined when all of its slots are in use. */
  take(caller: string): (() => void) | undefined {
    const count = this.held.get(caller) ?? 0;
    if (count >= this.perCaller) return undefined;
    this.held.set(caller, count + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.held.get(caller) ?? 1) - 1;
      if (left === 0) this.held.delete(caller);
      else this.held.set(caller, left);
    };
  }
}
