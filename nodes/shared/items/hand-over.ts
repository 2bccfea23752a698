/**
 * Hand-over between an item whose request was answered and the item that takes its slot.
 *
 * The slot goes to the next item at once, but the answered item still has work to do (decoding
 * and storing its results), and on n8n's one event loop that work competes with the next
 * request's set-up and upload. With Concurrency 4, four answers come back together: storing
 * them first pushed the last of the four next requests ~6 ms later, every round. So the work
 * left waits until the items started in its place have sent their requests (the transport's
 * `onSent`). A successor that fails, or never sends, frees it when it ends.
 */
export class HandOver {
	private readonly sent: Array<Promise<void>>;
	private readonly markSent: Array<() => void> = [];

	constructor(count: number) {
		this.sent = Array.from({ length: count }, (_, index) => new Promise<void>((resolve) => (this.markSent[index] = resolve)));
	}

	/** Item `index`'s request is on its way (or it ended): items waiting on it go on. */
	done(index: number): void {
		this.markSent[index]?.();
	}

	/** Resolves once every item in `successors` has sent its request. */
	async after(successors: number[]): Promise<void> {
		await Promise.all(successors.map((index) => this.sent[index]));
	}
}
