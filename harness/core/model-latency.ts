/** The latency a provider's model calls are charged on the virtual clock: its own (by provider id), else the run's. */
export function latencyFor(providerId: string, defaultMs: number, byProvider: Readonly<Record<string, number>> | undefined): number {
  return byProvider?.[providerId] ?? defaultMs;
}
