// Types for scripts/build.mjs, so the TypeScript tests can ask it what is out of date.
export type BuildStep = 'bundle' | 'compile' | 'docs';
/** The named steps whose dist/ output is not what their inputs give now. */
export declare function staleSteps(names: readonly BuildStep[]): BuildStep[];
export declare function build(wanted?: readonly BuildStep[]): Promise<void>;
