/** The outcome of a call as a value, so the caller decides which failures to pass on (and which to keep going after). */
export async function settle<T>(call: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await call() };
	} catch (error) {
		return { error };
	}
}
