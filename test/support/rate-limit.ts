// The local rate limiters count in fixed windows aligned to the clock minute: a test that spends a
// budget and expects the 429 must not see the count reset half-way.

const WINDOW_MS = 60_000
/** Time enough to spend a budget (a hundred requests) and see the 429, on a busy machine. */
const ROOM_MS = 5_000

/** Waits for the next window when this one is about to end. A beforeEach hook: its timeout is its own. */
export async function freshWindow() {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS)
  if (left < ROOM_MS) await new Promise((resolve) => setTimeout(resolve, left + 100))
}
