// Types for scripts/docs-page.mjs, so the TypeScript tests can call it.
export declare const MOCK_CONTROL_CONTRACT: string;
export declare const MOCK_CONTROL_PAGE: string;
export declare function finishPage(html: string): string;
export declare function buildDocsPage(contract: string, output: string): void;
export declare function buildDocs(contract: string, outDir: string): string[];
