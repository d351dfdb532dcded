export default async function globalTeardown(): Promise<void> {
  (globalThis as { __pgCluster?: { stop(): void } }).__pgCluster?.stop();
}
