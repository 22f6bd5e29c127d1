/** The tiers of `npm test -- --tier`. */
export declare const tiers: readonly ['unit', 'engine', 'docker'];
/** The tier of one test file, by the heaviest real thing it uses. */
export declare function tierOf(file: string): 'unit' | 'engine' | 'docker';
