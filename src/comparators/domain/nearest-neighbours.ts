/**
 * Nearest neighbours by CIPFA's method: each characteristic is standardised over the councils compared (mean 0,
 * standard deviation 1, the population standard deviation), and councils are ranked by the Euclidean distance
 * between their standardised characteristics, every characteristic weighing the same. CIPFA's own model uses 40
 * socio-economic variables (licensed); here the characteristics are the ones chosen from the imported data.
 */

export interface Profile {
  readonly areaCode: string;
  /** One value per characteristic, in the same order for every council. */
  readonly values: readonly number[];
}

export interface Neighbour {
  readonly areaCode: string;
  /** Standardised Euclidean distance from the target (0: the same on every characteristic). */
  readonly distance: number;
}

/** The mean and population standard deviation of each characteristic over `profiles`. */
export function standardisation(profiles: readonly Profile[]): { mean: number[]; sd: number[] } {
  const n = profiles.length;
  const width = profiles[0]?.values.length ?? 0;
  const mean = Array.from({ length: width }, (_, j) => profiles.reduce((s, p) => s + p.values[j], 0) / n);
  const sd = mean.map((m, j) => Math.sqrt(profiles.reduce((s, p) => s + (p.values[j] - m) ** 2, 0) / n));
  return { mean, sd };
}

/**
 * The `count` councils nearest to `target` among `candidates` (the target's own profile is among `profiles`,
 * which set the standardisation), nearest first; ties by ONS code. Characteristics with no spread (one value for
 * every council) are reported in `constant` and must be left out by the caller.
 */
export function nearestNeighbours(
  target: string,
  profiles: readonly Profile[],
  candidates: ReadonlySet<string>,
  count: number,
): { neighbours: Neighbour[]; constant: number[] } {
  const { mean, sd } = standardisation(profiles);
  const constant = sd.flatMap((s, j) => (s === 0 ? [j] : []));
  const me = profiles.find((p) => p.areaCode === target);
  if (!me || constant.length > 0) return { neighbours: [], constant };
  const z = (p: Profile) => p.values.map((v, j) => (v - mean[j]) / sd[j]);
  const mine = z(me);
  const neighbours = profiles
    .filter((p) => p.areaCode !== target && candidates.has(p.areaCode))
    .map((p) => ({
      areaCode: p.areaCode,
      distance: Math.sqrt(z(p).reduce((s, v, j) => s + (v - mine[j]) ** 2, 0)),
    }))
    .sort((a, b) => a.distance - b.distance || a.areaCode.localeCompare(b.areaCode));
  return { neighbours: neighbours.slice(0, count), constant };
}
