/**
 * A step of a scenario that later steps build on: it runs once, the first time a test asks for it (after the
 * steps it awaits itself), and every later call answers the same result. A test that awaits the step it
 * needs runs alone (`-t`) as well as in order.
 */
export function step<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}
