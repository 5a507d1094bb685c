/**
 * mulberry32, the seeded PRNG the product's comparators use for their bootstrap: the generated programme is the
 * same for the same seed and size.
 */
export { seededRandom as prng } from '../../src/comparators/domain/difference-in-differences.js';
