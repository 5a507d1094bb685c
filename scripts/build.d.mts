/** Types of build.mjs, for the tests that import it. */
export declare const ROOT: string;
export declare const STAMP: string;
export declare function sources(root?: string): Map<string, number>;
export declare function staleness(root?: string): string | null;
export declare function build(root?: string): void;
export declare function buildIfStale(root?: string): boolean;
